import fc from 'fast-check';
import { type FuzzCase } from './fuzz-case';
import { badDate, controlChar, extremeNumber, hostileText, prototypeName } from './hostile-values';

const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="urn:ietf:params:xml:ns:carddav" xmlns:CS="http://calendarserver.org/ns/" xmlns:I="http://apple.com/ns/ical/"';

interface Seed {
  name: string;
  method: string;
  path: string;
  depth?: string;
  /** The document element and its content; `{NS}` stands for the namespace declarations. */
  xml: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const prop = fc.constantFrom('<D:displayname/>', '<D:getetag/>', '<D:resourcetype/>', '<D:sync-token/>', '<CS:getctag/>', '<C:calendar-description/>', '<C:supported-calendar-component-set/>', '<A:addressbook-description/>', '<D:current-user-privilege-set/>', '<D:owner/>', '<I:calendar-color/>', '<X:unknown xmlns:X="urn:x"/>', '<D:quota-available-bytes/>');
const props = fc.array(prop, { minLength: 1, maxLength: 6 }).map((list) => list.join(''));
const timeRange = fc.oneof(fc.constant('start="20260101T000000Z" end="20270101T000000Z"'), fc.tuple(badDate, badDate).map(([s, e]) => `start="${s}" end="${e}"`), fc.constant('start="19990101T000000Z" end="20990101T000000Z"'), fc.constant(''));
const text = hostileText.map(escape);

/** Real request bodies of each kind, against the collection they belong to. */
const seeds: fc.Arbitrary<Seed> = fc.oneof(
  fc.tuple(fc.constantFrom('{calendar}', '{book}', '{calendar-home}', '{book-home}', '{calendar-seed}'), props, fc.constantFrom('0', '1', 'infinity')).map(([path, p, depth]) => ({ name: 'propfind', method: 'PROPFIND', path, depth, xml: `<D:propfind {NS}><D:prop>${p}</D:prop></D:propfind>` })),
  fc.constantFrom('{calendar}', '{book}').map((path) => ({ name: 'propfind-allprop', method: 'PROPFIND', path, depth: '1', xml: '<D:propfind {NS}><D:allprop/></D:propfind>' })),
  fc.tuple(fc.constantFrom('{calendar}', '{book}', '{tasks}'), text, text).map(([path, name, dead]) => ({
    name: 'proppatch',
    method: 'PROPPATCH',
    path,
    xml: `<D:propertyupdate {NS}><D:set><D:prop><D:displayname>${name}</D:displayname><I:calendar-color>#FF0000FF</I:calendar-color><X:dead xmlns:X="urn:x">${dead}</X:dead></D:prop></D:set><D:remove><D:prop><C:calendar-description/></D:prop></D:remove></D:propertyupdate>`,
  })),
  fc.tuple(fc.stringMatching(/^[a-z0-9]{4,10}$/), text, fc.constantFrom('VEVENT', 'VTODO', 'VJOURNAL', 'X-FOO', '')).map(([slug, name, comp]) => ({
    name: 'mkcalendar',
    method: 'MKCALENDAR',
    path: `{calendar-home}fz-${slug}/`,
    xml: `<C:mkcalendar {NS}><D:set><D:prop><D:displayname>${name}</D:displayname><C:supported-calendar-component-set><C:comp name="${comp}"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`,
  })),
  fc.tuple(fc.constantFrom('{calendar}', '{tasks}'), fc.constantFrom('VEVENT', 'VTODO'), timeRange, fc.boolean(), text).map(([path, comp, range, expand, match]) => ({
    name: 'calendar-query',
    method: 'REPORT',
    path,
    depth: '1',
    xml: `<C:calendar-query {NS}><D:prop><D:getetag/><C:calendar-data>${expand && range ? `<C:expand ${range}/>` : ''}</C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="${comp}">${range ? `<C:time-range ${range}/>` : ''}<C:prop-filter name="SUMMARY"><C:text-match collation="i;unicode-casemap" negate-condition="yes">${match}</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`,
  })),
  fc.tuple(fc.array(fc.constantFrom('{calendar-seed}', '{calendar}missing.ics', '{book-seed}', '/dav/caldav/', 'http://evil.example/x.ics', '../../x', '%00'), { minLength: 1, maxLength: 5 }), fc.constantFrom('{calendar}', '{book}')).map(([hrefs, path]) => ({
    name: 'multiget',
    method: 'REPORT',
    path,
    depth: '1',
    xml: path === '{book}' ? `<A:addressbook-multiget {NS}><D:prop><D:getetag/><A:address-data/></D:prop>${hrefs.map((h) => `<D:href>${h}</D:href>`).join('')}</A:addressbook-multiget>` : `<C:calendar-multiget {NS}><D:prop><D:getetag/><C:calendar-data/></D:prop>${hrefs.map((h) => `<D:href>${h}</D:href>`).join('')}</C:calendar-multiget>`,
  })),
  fc.tuple(text, fc.constantFrom('i;unicode-casemap', 'i;ascii-casemap', 'i;octet', 'x;unknown'), fc.constantFrom('contains', 'equals', 'starts-with', 'ends-with', 'bogus'), extremeNumber, fc.constantFrom('FN', 'EMAIL', 'UID', '__proto__', 'X-', '')).map(([match, collation, type, limit, name]) => ({
    name: 'addressbook-query',
    method: 'REPORT',
    path: '{book}',
    depth: '1',
    xml: `<A:addressbook-query {NS}><D:prop><D:getetag/><A:address-data><A:prop name="FN"/></A:address-data></D:prop><A:filter test="anyof"><A:prop-filter name="${name}"><A:text-match collation="${collation}" match-type="${type}">${match}</A:text-match></A:prop-filter></A:filter><A:limit><A:nresults>${limit}</A:nresults></A:limit></A:addressbook-query>`,
  })),
  fc.tuple(fc.constantFrom('{calendar}', '{book}', '{tasks}'), fc.constantFrom('', 'http://davmesh.org/ns/sync/1-0', 'http://davmesh.org/ns/sync/99999999999-99999999999', 'garbage', 'http://davmesh.org/ns/sync/-1--1'), fc.constantFrom('1', 'infinite', '2'), extremeNumber).map(([path, token, level, limit]) => ({
    name: 'sync-collection',
    method: 'REPORT',
    path,
    xml: `<D:sync-collection {NS}><D:sync-token>${token}</D:sync-token><D:sync-level>${level}</D:sync-level><D:limit><D:nresults>${limit}</D:nresults></D:limit><D:prop><D:getetag/></D:prop></D:sync-collection>`,
  })),
  timeRange.map((range) => ({ name: 'free-busy-query', method: 'REPORT', path: '{calendar}', depth: '1', xml: `<C:free-busy-query {NS}><C:time-range ${range}/></C:free-busy-query>` })),
);

interface XmlMutation {
  name: string;
  apply(xml: string): string;
}

/** Inserts `insert` right after the first start tag's end, i.e. inside the document element. */
const insideRoot = (xml: string, insert: string) => {
  const end = xml.indexOf('>') + 1;
  return xml.slice(0, end) + insert + xml.slice(end);
};

const xmlMutation: fc.Arbitrary<XmlMutation> = fc.oneof(
  fc.constantFrom(10, 100, 1_000, 10_000).map((depth) => ({ name: `deep-nesting`, apply: (x: string) => insideRoot(x, `${'<D:prop>'.repeat(depth)}${'</D:prop>'.repeat(depth)}`) })),
  fc.constantFrom(10, 100, 1_000).map((depth) => ({ name: 'deep-comp-filter', apply: (x: string) => x.replace('<C:filter>', `<C:filter>${'<C:comp-filter name="VCALENDAR">'.repeat(depth)}${'</C:comp-filter>'.repeat(depth)}`) })),
  fc.constantFrom(100, 1_000, 60_000).map((count) => ({ name: 'many-attributes', apply: (x: string) => x.replace(' {NS}', ` {NS}${Array.from({ length: count }, (_, i) => ` a${i}="1"`).join('')}`) })),
  fc.constantFrom(100, 1_000, 20_000).map((count) => ({ name: 'many-namespaces', apply: (x: string) => x.replace(' {NS}', ` {NS}${Array.from({ length: count }, (_, i) => ` xmlns:n${i}="urn:n${i}"`).join('')}`) })),
  fc.tuple(fc.nat(), controlChar).map(([at, c]) => ({ name: 'control-char', apply: (x: string) => x.slice(0, at % x.length) + c + x.slice(at % x.length) })),
  fc.constantFrom(
    { name: 'doctype-entities', apply: (x: string) => `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>${x.replace('</D:displayname>', '&lol3;</D:displayname>')}` },
    { name: 'external-entity', apply: (x: string) => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${insideRoot(x, '<D:x>&xxe;</D:x>')}` },
    { name: 'latin1-declared', apply: (x: string) => `<?xml version="1.0" encoding="ISO-8859-1"?>${x}` },
    { name: 'utf16-declared', apply: (x: string) => `<?xml version="1.0" encoding="UTF-16"?>${x}` },
    { name: 'bom', apply: (x: string) => `\ufeff${x}` },
    { name: 'truncated', apply: (x: string) => x.slice(0, Math.floor(x.length / 2)) },
    { name: 'cdata-and-pi', apply: (x: string) => insideRoot(x, '<?pi data?><![CDATA[<D:prop/>]]><!-- c -->') },
    { name: 'unknown-elements', apply: (x: string) => insideRoot(x, '<X:foo xmlns:X="urn:unknown"><X:bar/></X:foo><D:unknown/>') },
    { name: 'no-namespace', apply: (x: string) => x.replace(' {NS}', '').replace(/\b[A-Z]{1,2}:/g, '') },
    { name: 'undeclared-prefix', apply: (x: string) => x.replace(' {NS}', ' xmlns:D="DAV:"') },
    { name: 'empty-body', apply: () => '' },
    { name: 'not-xml', apply: () => 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' },
  ),
  fc.tuple(prototypeName, hostileText.map(escape)).map(([p, t]) => ({ name: 'prototype-element', apply: (x: string) => insideRoot(x, `<X:${p} xmlns:X="urn:x" ${p}="${t.replace(/"/g, '')}">${t}</X:${p}>`) })),
);

/** Byte-level damage that cannot be expressed as a JS string: invalid UTF-8 sequences. */
const BAD_UTF8 = [Buffer.from([0xc3, 0x28]), Buffer.from([0xff, 0xfe]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xe9])];

/** A REPORT/PROPFIND/PROPPATCH/MKCALENDAR body: a seed, valid (1 in 5) or mutated. */
export const xmlCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(seeds, fc.option(fc.array(xmlMutation, { minLength: 1, maxLength: 2 }), { freq: 5 }), fc.option(fc.tuple(fc.nat(), fc.nat({ max: BAD_UTF8.length - 1 })), { freq: 8 }), fc.constantFrom('application/xml; charset=utf-8', 'text/xml', 'application/xml; charset=iso-8859-1', 'text/plain'))
  .map(([seed, applied, badBytes, contentType]) => {
    const xml = (applied ?? []).reduce((current, mutation) => mutation.apply(current), seed.xml).replace(' {NS}', ` ${NS}`);
    const headers: Record<string, string> = { 'Content-Type': contentType, ...(seed.depth ? { Depth: seed.depth } : {}) };
    const label = [seed.name, ...(applied ?? []).map((m) => m.name), ...(badBytes ? ['bad-utf8'] : [])].join('+');
    if (badBytes) {
      const bytes = Buffer.from(xml, 'utf8');
      const at = bytes.length ? badBytes[0] % bytes.length : 0;
      const body = Buffer.concat([bytes.subarray(0, at), BAD_UTF8[badBytes[1]], bytes.subarray(at)]);
      return { kind: 'xml', label, request: { method: seed.method, path: seed.path, headers, bodyBase64: body.toString('base64') } };
    }
    return { kind: 'xml', label, request: { method: seed.method, path: seed.path, headers, body: xml } };
  });
