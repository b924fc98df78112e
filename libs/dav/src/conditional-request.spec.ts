import { evaluatePrecondition, type PreconditionState } from '@davmesh/contracts';
import { parseHttpDate, parsePrecondition, PreconditionSyntaxError } from './conditional-request';

const TARGET = '/specs/rfc2518.doc';
const outcome = (headers: Record<string, string>, current: PreconditionState | undefined, read = false) =>
  evaluatePrecondition(
    parsePrecondition(headers, (tag) => tag === TARGET || tag === `http://www.example.com${TARGET}`),
    current,
    read,
  );

const LOCK = '<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>';
const tagged = (etag: string, lastModified = '1994-10-29T19:43:31.000Z'): PreconditionState => ({ etag, lastModified });

describe('RFC 9110 8.8.3.2: strong comparison for If-Match (writes), weak for If-None-Match', () => {
  // The table's rows, the stored tag always strong ("1"): W/"1" matches weakly only, "1" both ways, "2" neither.
  it.each([
    ['W/"1"', 'failed', 'failed'],
    ['"1"', 'proceed', 'failed'],
    ['"2"', 'failed', 'proceed'],
    ['W/"2"', 'failed', 'proceed'],
  ])('%s against "1": If-Match %s, If-None-Match on PUT %s', (tag, ifMatch, ifNoneMatch) => {
    expect(outcome({ 'if-match': tag }, tagged('1'))).toBe(ifMatch);
    expect(outcome({ 'if-none-match': tag }, tagged('1'))).toBe(ifNoneMatch);
  });
});

describe('RFC 9110 13.1.1-13.1.2: If-Match and If-None-Match lists', () => {
  it.each([
    ['If-Match "xyzzy" on xyzzy', { 'if-match': '"xyzzy"' }, tagged('xyzzy'), false, 'proceed'],
    ['If-Match: any tag of the list counts', { 'if-match': '"xyzzy", "r2d2xxxx", "c3piozzzz"' }, tagged('r2d2xxxx'), false, 'proceed'],
    ['If-Match: "nope", then the current tag', { 'if-match': '"nope", "abc"' }, tagged('abc'), false, 'proceed'],
    ['If-Match: a tag may hold a comma', { 'if-match': '"a,b"' }, tagged('a,b'), false, 'proceed'],
    ['If-Match: none of the list', { 'if-match': '"xyzzy", "c3piozzzz"' }, tagged('r2d2xxxx'), false, 'failed'],
    ['If-Match: * on an existing resource', { 'if-match': '*' }, tagged('x'), false, 'proceed'],
    ['If-Match: * on no resource', { 'if-match': '*' }, undefined, false, 'failed'],
    ['If-Match: a tag on no resource', { 'if-match': '"x"' }, undefined, false, 'failed'],
    ['If-None-Match: * on no resource', { 'if-none-match': '*' }, undefined, false, 'proceed'],
    ['If-None-Match: * on an existing resource (PUT)', { 'if-none-match': '*' }, tagged('x'), false, 'failed'],
    ['If-None-Match: * on an existing resource (GET)', { 'if-none-match': '*' }, tagged('x'), true, 'not-modified'],
    ['If-None-Match: weak list matching (GET)', { 'if-none-match': 'W/"xyzzy", W/"r2d2xxxx", W/"c3piozzzz"' }, tagged('r2d2xxxx'), true, 'not-modified'],
    ['If-None-Match: a list not matching (GET)', { 'if-none-match': '"xyzzy"' }, tagged('r2d2xxxx'), true, 'proceed'],
    ['empty elements of a list are allowed', { 'if-match': ' , "x",, ' }, tagged('x'), false, 'proceed'],
  ] as const)('%s', (_, headers, current, read, expected) => {
    expect(outcome(headers, current, read)).toBe(expected);
  });

  it.each(['W/"x", *', '*, *', '"x" "y"', 'xyzzy', '"unterminated', 'W/', '"', '**', '"x"'.repeat(200)])('refuses %j as malformed', (value) => {
    expect(() => outcome({ 'if-match': value }, tagged('x'))).toThrow(PreconditionSyntaxError);
    expect(() => outcome({ 'if-none-match': value }, tagged('x'))).toThrow(PreconditionSyntaxError);
  });

  it('refuses a list of more than 100 tags', () => {
    const tags = Array.from({ length: 101 }, (_, i) => `"${i}"`).join(', ');
    expect(() => outcome({ 'if-match': tags }, tagged('1'))).toThrow(/more than 100/);
  });
});

describe('RFC 9110 13.1.3-13.1.4 and 13.2.2: dates and the order of evaluation', () => {
  const DATE = 'Sat, 29 Oct 1994 19:43:31 GMT';

  it.each([
    ['If-Unmodified-Since: changed after', { 'if-unmodified-since': DATE }, tagged('x', '1994-10-29T19:43:32.000Z'), false, 'failed'],
    ['If-Unmodified-Since: changed within the second named', { 'if-unmodified-since': DATE }, tagged('x', '1994-10-29T19:43:31.900Z'), false, 'proceed'],
    ['If-Unmodified-Since of 1970', { 'if-unmodified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' }, tagged('x', '2026-01-01T00:00:00.000Z'), false, 'failed'],
    ['If-Unmodified-Since is ignored with If-Match', { 'if-match': '"x"', 'if-unmodified-since': DATE }, tagged('x', '2026-01-01T00:00:00.000Z'), false, 'proceed'],
    ['If-Unmodified-Since that is no HTTP-date is ignored', { 'if-unmodified-since': 'yesterday' }, tagged('x'), false, 'proceed'],
    ['If-Modified-Since: unchanged since (GET)', { 'if-modified-since': DATE }, tagged('x', '1994-10-29T19:43:31.000Z'), true, 'not-modified'],
    ['If-Modified-Since: changed since (GET)', { 'if-modified-since': DATE }, tagged('x', '1994-10-29T19:43:32.000Z'), true, 'proceed'],
    ['If-Modified-Since is for GET and HEAD only', { 'if-modified-since': DATE }, tagged('x', '1990-01-01T00:00:00.000Z'), false, 'proceed'],
    ['If-Modified-Since is ignored with If-None-Match', { 'if-none-match': '"y"', 'if-modified-since': DATE }, tagged('x', '1990-01-01T00:00:00.000Z'), true, 'proceed'],
    ['If-Match decides before If-None-Match (GET)', { 'if-match': '"y"', 'if-none-match': '"x"' }, tagged('x'), true, 'failed'],
  ] as const)('%s', (_, headers, current, read, expected) => {
    expect(outcome(headers, current, read)).toBe(expected);
  });

  it('reads the three forms of HTTP-date as one instant (RFC 9110 5.6.7), and nothing else', () => {
    const instant = '1994-11-06T08:49:37.000Z';
    for (const form of ['Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994']) {
      expect(parseHttpDate(form)?.toISOString()).toBe(instant);
    }
    for (const other of ['1994-11-06T08:49:37Z', 'Sun, 31 Feb 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 08:49:37 CET', '']) expect(parseHttpDate(other)).toBeUndefined();
  });
});

describe('RFC 4918 10.4: the If header', () => {
  it.each([
    // 10.4.6: a lock token this server never issued, or the second etag.
    ['10.4.6 no-tag lists: the second list holds', `(${LOCK} ["I am an ETag"]) (["I am another ETag"])`, tagged('I am another ETag'), 'proceed'],
    ['10.4.6 no-tag lists: the first needs a lock', `(${LOCK} ["I am an ETag"]) (["I am another ETag"])`, tagged('I am an ETag'), 'failed'],
    ['10.4.7 Not with a no-tag list', `(Not ${LOCK} <urn:uuid:58f202ac-22cf-11d1-b12d-002035b29092>)`, tagged('x'), 'failed'],
    ['10.4.8 a condition that always holds', `(${LOCK}) (Not <DAV:no-lock>)`, tagged('x'), 'proceed'],
    ['10.4.9 a tagged list on the target, strong tag', `<${TARGET}> (${LOCK} [W/"A weak ETag"]) (["strong ETag"])`, tagged('strong ETag'), 'proceed'],
    ['10.4.9 a weak tag never matches strongly', `<${TARGET}> ([W/"A weak ETag"])`, tagged('A weak ETag'), 'failed'],
    ['10.4.11 an etag on an unmapped URL', `<http://www.example.com${TARGET}> (["4217"])`, undefined, 'failed'],
    ['10.4.11 Not an etag on an unmapped URL', `<http://www.example.com${TARGET}> (Not ["4217"])`, undefined, 'proceed'],
    ['Not of the current etag', '(Not ["x"])', tagged('x'), 'failed'],
    ['Not of another etag, case-insensitive', '(not ["y"])', tagged('x'), 'proceed'],
    ['lists tagged with another resource count as failed', `</other> (["x"]) <${TARGET}> (["y"])`, tagged('x'), 'failed'],
    ['one of several tagged lists holds', `</other> (["x"]) <${TARGET}> (["y"]) (["x"])`, tagged('x'), 'proceed'],
    ['with If-Match, both must hold', '(["x"])', tagged('x'), 'proceed'],
  ] as const)('%s', (_, header, current, expected) => {
    expect(outcome({ if: header }, current)).toBe(expected);
  });

  it('If: and If-Match must both hold', () => {
    expect(outcome({ if: '(["x"])', 'if-match': '"y"' }, tagged('x'))).toBe('failed');
    expect(outcome({ if: '(["y"])', 'if-match': '"x"' }, tagged('x'))).toBe('failed');
  });

  it.each([
    ['an empty header', ''],
    ['an empty list', '()'],
    ['an unterminated list', '(["x"]'],
    ['a bare etag', '"x"'],
    ['an etag without brackets', '("x")'],
    ['a state token that is no absolute URI', '(<opaquelocktoken>)'],
    ['tagged and untagged lists mixed', `(["x"]) <${TARGET}> (["x"])`],
    ['a resource tag without a list', `<${TARGET}>`],
    ['a Not without a condition', '(Not)'],
    ['text outside lists', '(["x"]) and more'],
    ['more than 100 conditions', `(${'["x"] '.repeat(101)})`],
  ])('refuses %s as malformed', (_, header) => {
    expect(() => outcome({ if: header }, tagged('x'))).toThrow(PreconditionSyntaxError);
  });
});

it('carries nothing when no conditional header is present', () => {
  expect(parsePrecondition({ 'content-type': 'text/calendar', 'if-match': '  ' }, () => false)).toBeUndefined();
});
