import { type IfCondition, type Precondition } from '@davmesh/contracts';

/** A conditional header that does not follow its grammar: the request is answered 400 and changes nothing. */
export class PreconditionSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreconditionSyntaxError';
  }
}

type Headers = Record<string, string | string[] | undefined>;

/** More conditions than any client sends: refused rather than carried over the bus. */
const MAX_CONDITIONS = 100;

interface EntityTag {
  tag: string;
  weak: boolean;
}

/**
 * RFC 9110 8.8.3: `[W/]"opaque"`; etagc is any visible character but DQUOTE, so a tag may hold
 * commas. Spaces too, as RFC 2616's quoted-string allowed and RFC 4918's examples use.
 */
const ENTITY_TAG = /(W\/)?"([\x20\x21\x23-\x7e\x80-\xff]*)"/y;
const LIST_SEPARATOR = /[ \t]*(,[ \t]*|$)/y;
const OWS = /[ \t]*/y;
const NOT = /not[ \t]*(?=[<[])/iy;

function match(pattern: RegExp, value: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(value);
}

/** `*` or a list of entity tags (RFC 9110 5.6.1: empty elements allowed); undefined when the field is empty. */
function parseTagList(value: string, field: string): '*' | EntityTag[] | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed === '*') return '*';
  const tags: EntityTag[] = [];
  let at = match(OWS, value, 0)![0].length;
  while (at < value.length) {
    const separator = match(LIST_SEPARATOR, value, at);
    if (separator && separator[0].length > 0) {
      at += separator[0].length;
      continue;
    }
    const tag = match(ENTITY_TAG, value, at);
    const after = tag && match(LIST_SEPARATOR, value, at + tag[0].length);
    if (!tag || !after) throw new PreconditionSyntaxError(`${field} is neither * nor a list of entity tags`);
    tags.push({ weak: tag[1] !== undefined, tag: tag[2] });
    at += tag[0].length + after[0].length;
  }
  if (tags.length > MAX_CONDITIONS) throw new PreconditionSyntaxError(`${field} has more than ${MAX_CONDITIONS} entity tags`);
  return tags;
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d\\d):(\\d\\d):(\\d\\d)';
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d\\d) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d\\d)-${MONTH}-(\\d\\d) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/**
 * RFC 9110 5.6.7: the three forms of HTTP-date, read as UTC (Date.parse takes far more, and reads
 * asctime as local time). A two-digit year more than 50 years ahead is in the past century.
 * undefined for anything else, which RFC 9110 13.1.3-4 says to ignore.
 */
export function parseHttpDate(value: string): Date | undefined {
  const text = value.trim();
  let parts: [day: string, month: string, year: number, hour: string, minute: string, second: string] | undefined;
  let m = IMF_FIXDATE.exec(text);
  if (m) parts = [m[1], m[2], Number(m[3]), m[4], m[5], m[6]];
  else if ((m = RFC850_DATE.exec(text))) {
    const thisYear = new Date().getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(m[3]);
    if (year > thisYear + 50) year -= 100;
    parts = [m[1], m[2], year, m[4], m[5], m[6]];
  } else if ((m = ASCTIME_DATE.exec(text))) parts = [m[2], m[1], Number(m[6]), m[3], m[4], m[5]];
  if (!parts) return undefined;
  const [day, month, year, hour, minute, second] = parts;
  const date = new Date(Date.UTC(year, MONTHS.indexOf(month), Number(day), Number(hour), Number(minute), Number(second)));
  return date.getUTCDate() === Number(day) && Number(hour) < 24 && Number(minute) < 60 && Number(second) < 61 ? date : undefined;
}

interface IfProduction {
  tag?: string;
  lists: IfCondition[][];
}

/**
 * RFC 4918 10.4.2: `1*No-tag-list | 1*Tagged-list`, a list being `( [Not] <state-token> | [Not] [entity-tag] ... )`.
 * Entity tags are compared strongly (10.4.4 allows either): a weak one never matches, nor does a
 * state token (this server holds no locks), so both become conditions without an etag.
 */
function parseIfHeader(value: string): IfProduction[] {
  const productions: IfProduction[] = [];
  let conditions = 0;
  let at = 0;
  const fail: (why: string) => never = (why) => {
    throw new PreconditionSyntaxError(`the If header is malformed: ${why}`);
  };
  const skipSpace = () => {
    while (at < value.length && (value[at] === ' ' || value[at] === '\t')) at++;
  };
  const codedUrl = (what: string): string => {
    const end = value.indexOf('>', at);
    if (end < 0) fail(`unterminated ${what}`);
    const url = value.slice(at + 1, end);
    at = end + 1;
    if (!/^\S+$/.test(url)) fail(`empty or spaced ${what}`);
    return url;
  };
  const condition = (): IfCondition => {
    const not = match(NOT, value, at);
    if (not) at += not[0].length;
    if (value[at] === '<') {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(codedUrl('state token'))) fail('a state token is an absolute URI');
      return { not: !!not };
    }
    if (value[at] !== '[') fail(`expected a state token or [entity-tag] at ${at}`);
    const tag = match(ENTITY_TAG, value, at + 1);
    if (!tag || value[at + 1 + tag[0].length] !== ']') fail(`expected an entity tag at ${at + 1}`);
    at += tag[0].length + 2;
    return tag[1] === undefined ? { not: !!not, etag: tag[2] } : { not: !!not };
  };
  skipSpace();
  if (at === value.length) fail('no list');
  while (at < value.length) {
    if (value[at] === '<') {
      if (productions.length > 0 && productions[0].tag === undefined) fail('tagged and untagged lists mixed');
      productions.push({ tag: codedUrl('resource tag'), lists: [] });
    } else if (value[at] === '(') {
      if (productions.length === 0) productions.push({ lists: [] });
      const production = productions[productions.length - 1];
      const list: IfCondition[] = [];
      at++;
      for (skipSpace(); value[at] !== ')'; skipSpace()) {
        if (at >= value.length) fail('unterminated list');
        list.push(condition());
        if (++conditions > MAX_CONDITIONS) fail(`more than ${MAX_CONDITIONS} conditions`);
      }
      at++;
      if (list.length === 0) fail('an empty list');
      production.lists.push(list);
    } else {
      fail(`unexpected ${JSON.stringify(value[at])} at ${at}`);
    }
    skipSpace();
  }
  if (productions.some((p) => p.lists.length === 0)) fail('a resource tag without a list');
  return productions;
}

function single(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The conditions of a request's If-Match, If-None-Match, If-Unmodified-Since, If-Modified-Since and
 * RFC 4918 If headers on its target, for `evaluatePrecondition` (in the owning service, for a write).
 * `appliesTo(tag)` tells whether an If: resource tag names the target; lists tagged with another
 * resource count as failed (this server does not look other resources up, so it refuses rather
 * than grants). Throws PreconditionSyntaxError for a malformed If, If-Match or If-None-Match.
 */
export function parsePrecondition(headers: Headers, appliesTo: (tag: string) => boolean): Precondition | undefined {
  const precondition: Precondition = {};
  const ifMatch = parseTagList(single(headers, 'if-match') ?? '', 'If-Match');
  if (ifMatch !== undefined) precondition.ifMatch = ifMatch === '*' ? '*' : ifMatch.filter((t) => !t.weak).map((t) => t.tag);
  const ifNoneMatch = parseTagList(single(headers, 'if-none-match') ?? '', 'If-None-Match');
  if (ifNoneMatch !== undefined) precondition.ifNoneMatch = ifNoneMatch === '*' ? '*' : ifNoneMatch.map((t) => t.tag);
  for (const [field, key] of [
    ['if-unmodified-since', 'ifUnmodifiedSince'],
    ['if-modified-since', 'ifModifiedSince'],
  ] as const) {
    const date = parseHttpDate(single(headers, field) ?? '');
    if (date) precondition[key] = date.toISOString();
  }
  const ifHeader = single(headers, 'if');
  if (ifHeader !== undefined) {
    precondition.ifLists = parseIfHeader(ifHeader)
      .filter((p) => p.tag === undefined || appliesTo(p.tag))
      .flatMap((p) => p.lists);
  }
  return Object.keys(precondition).length > 0 ? precondition : undefined;
}
