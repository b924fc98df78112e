import fc from 'fast-check';
import { type FuzzCase } from './fuzz-case';

/** Paths as clients and attackers write them; `{calendar}` etc. are the lane's collections. */
const oddPath = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('{calendar-seed}', '{book-seed}', '{tasks-seed}', '{calendar}', '{book}', '{calendar-home}', '{book-home}') },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom('{calendar}', '{book}', '{calendar-home}', '/dav/', '/', '/dav/caldav/../carddav/'), fc.constantFrom('%00.ics', '%00', 'a%00b.vcf', '%2e%2e/%2e%2e/', '%2F..%2F', '%', '%zz.ics', '%C0%AF', '%C3%A9t%C3%A9.ics', '%E2%80%AE.ics', '%ff%fe.ics', '..%2f..%2fetc%2fpasswd', '//x.ics', 'x.ics;jsessionid=1', 'x.ics?x=1&y', 'x.ics#frag', 'seed.ics/', 'seed.ics/child', '.', '..', '~', '__proto__', 'constructor/x.ics', 'x'.repeat(10_000) + '.ics', 'é.ics', 'a b.ics'.replace(' ', '%20'), '%252e%252e/'))
      .map(([base, tail]) => base + tail),
  },
  { weight: 1, arbitrary: fc.constantFrom('http://{host}/dav/caldav/', '*', '/dav/caldav/100/', '/dav/caldav/1/', '/dav/carddav/6/', '/.well-known/caldav', '/.well-known/carddav', '/dav/principals/users/demo/', '/dav/principals/users/%2e%2e/') },
);

const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c < 0x7f || c > 0x9f).map((c) => String.fromCharCode(c)), maxLength: 60 });
const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'latin1').toString('base64')}`;

/** Values for each header, from correct through odd to hostile; all sendable over HTTP/1.1. */
const headerValues: Record<string, fc.Arbitrary<string>> = {
  Depth: fc.constantFrom('0', '1', 'infinity', 'Infinity', '2', '-1', '', 'one', '1,1', ' 1 ', '00', '1e1'),
  If: fc.oneof(fc.constantFrom('({seed-etag})', '([{seed-etag}])', '(<urn:uuid:0000>)', '<{origin}{calendar-seed}> (Not <DAV:no-lock>)', '(Not [{seed-etag}])', '((((', ')', '<', '([', '(["x"] ["y"] ["z"])'.repeat(500), '(<>)'), latin1),
  'If-Match': fc.oneof(fc.constantFrom('*', '{seed-etag}', '"nope"', 'W/{seed-etag}', '{seed-etag}, "x"', '""', '"', 'W/', '*, *', '"x"'.repeat(2_000)), latin1),
  'If-None-Match': fc.oneof(fc.constantFrom('*', '{seed-etag}', '"nope"', 'W/"x"', '', '**'), latin1),
  Destination: fc.oneof(
    fc.constantFrom('{origin}{calendar}moved.ics', '{origin}{tasks}moved.ics', '{origin}{book}moved.vcf', '{calendar}moved.ics', 'http://evil.example/dav/caldav/x.ics', 'https://{host}{calendar}x.ics', '{origin}{calendar}%00.ics', '{origin}{calendar-seed}', '{origin}/dav/caldav/100/x.ics', '{origin}{calendar}../../x.ics', '{origin}{book-home}', 'mailto:x@example.org', '', '//evil.example/x', '{origin}/' + 'x'.repeat(8_000)),
    latin1,
  ),
  'Content-Type': fc.oneof(
    fc.constantFrom('text/calendar; charset=utf-8', 'text/calendar; charset=iso-8859-1', 'text/calendar; charset=utf-16', 'text/calendar; charset=', 'text/calendar; component=VTODO', 'text/vcard; version=4.0', 'text/vcard; charset=utf-8', 'application/xml', 'multipart/form-data; boundary=x', 'application/json', '*/*', ';', 'text/calendar;;;;', 'text/calendar; charset="utf-8'),
    latin1,
  ),
  Accept: fc.oneof(fc.constantFrom('text/vcard; version=4.0', 'text/vcard; version=3.0', 'text/vcard;version=5.0', 'text/calendar', 'application/calendar+json', 'application/vcard+json', '*/*;q=NaN', 'text/vcard;q=-1, text/vcard;version=4.0;q=2', '', ','.repeat(1_000)), latin1),
  Authorization: fc.oneof(
    fc.constantFrom(basic('demo\0:demo'), basic('demo:demo\0'), basic('fuzz-victim:wrong'), basic(':'), basic('::::'), basic(''), 'Basic !!!', 'Basic', 'Basic ' + 'A'.repeat(10_000), 'Bearer x', 'Digest username="x"', 'basic {lane-basic}', 'Basic  {lane-basic}', 'Basic {lane-basic}, Basic {lane-basic}'),
    latin1.map((s) => basic(`fuzz-victim:${s}`)),
  ),
  Overwrite: fc.constantFrom('T', 'F', 'X', '', 't', 'TF'),
  Prefer: fc.constantFrom('return=minimal', 'return=representation', 'depth-noroot', 'x'.repeat(1_000)),
  Range: fc.constantFrom('bytes=0-10', 'bytes=-1', 'bytes=99999999999-', 'bytes=5-1', 'lines=1-2'),
};

const headerName = fc.constantFrom(...Object.keys(headerValues));
const METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'MOVE', 'COPY', 'PROPFIND', 'PROPPATCH', 'REPORT', 'OPTIONS', 'MKCALENDAR', 'MKCOL', 'LOCK', 'UNLOCK', 'POST', 'PATCH', 'ACL', 'SEARCH', 'FOO'];

/** A plausible body for the method, so the headers are what is under test. */
const bodyFor: Record<string, string> = {
  PUT: ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//fuzz//EN', 'BEGIN:VEVENT', 'UID:header-case', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260105T090000Z', 'DURATION:PT1H', 'SUMMARY:Headers', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n'),
  PROPFIND: '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:displayname/></D:prop></D:propfind>',
  PROPPATCH: '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Renamed</D:displayname></D:prop></D:set></D:propertyupdate>',
  REPORT: '<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>',
};

/** A request whose headers and target are odd: any method, 1-4 headers, an odd path. */
export const headersCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.constantFrom(...METHODS),
    oddPath,
    fc.uniqueArray(headerName, { minLength: 1, maxLength: 4 }).chain((names) => fc.tuple(...names.map((name) => headerValues[name].map((value) => [name, value] as const)))),
    fc.boolean(),
  )
  .map(([method, path, pairs, withBody]) => ({
    kind: 'headers',
    label: [method.toLowerCase(), ...pairs.map(([name]) => name.toLowerCase())].join('+'),
    request: { method, path, headers: Object.fromEntries(pairs), ...(withBody && bodyFor[method] ? { body: bodyFor[method] } : {}) },
  }));
