import { ICAL } from '@davmesh/ical';
import { type FuzzCase } from './fuzz-case';
import { type HttpAnswer, type RawRequest } from './http-exchange';
import { type Lane, type LaneCollection } from './lane';

export type Invariant =
  /** A 5xx other than the few the RFCs ask for (see `expectedServerStatus`). */
  | 'server-error'
  /** Answered, but later than the bound. */
  | 'slow'
  /** No answer within the hang limit. */
  | 'hang'
  /** The connection failed without an answer (the server dropped it or died). */
  | 'no-response'
  /** A 4xx after which the lane's state differs from before. */
  | 'refusal-changed-state'
  /** A 2xx PUT whose object cannot be read back in every form. */
  | 'stored-not-readable'
  /** The server would not tell the lane's state (the state PROPFINDs failed). */
  | 'state-unreadable';

export interface Violation {
  invariant: Invariant;
  detail: string;
}

export interface CaseOutcome {
  fuzzCase: FuzzCase;
  sent: { method: string; path: string; headers: Record<string, string>; bodyBytes: number };
  response: { status: number; elapsedMs: number; error?: string; excerpt: string };
  violations: Violation[];
  /** The input could not be put on the wire (an invalid header or path for Node's HTTP client). */
  unsendable?: boolean;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'PROPFIND', 'REPORT']);

/**
 * 5xx answers the standards call for: 502 for a Destination on another server (RFC 4918 9.9.4),
 * 507 with number-of-matches-within-limits for a result cut at a limit (RFC 4791 7.8/RFC 6352 8.6),
 * 501 for a method the server does not know (RFC 9110 15.6.2).
 */
export function expectedServerStatus(raw: RawRequest, answer: HttpAnswer): boolean {
  if (answer.status === 502) return ['MOVE', 'COPY'].includes(raw.method);
  if (answer.status === 507) return answer.text.includes('number-of-matches-within-limits');
  if (answer.status === 501) return !['GET', 'HEAD', 'PUT', 'DELETE', 'MOVE', 'COPY', 'PROPFIND', 'PROPPATCH', 'REPORT', 'OPTIONS', 'MKCALENDAR', 'MKCOL'].includes(raw.method);
  return false;
}

function timing(what: string, answer: HttpAnswer, lane: Lane, raw: RawRequest): Violation[] {
  if (answer.error === 'hang') return [{ invariant: 'hang', detail: `${what}: no answer in ${lane.target.hangMs} ms` }];
  if (answer.status === 0) return [{ invariant: 'no-response', detail: `${what}: ${answer.error}` }];
  const found: Violation[] = [];
  if (answer.status >= 500 && !expectedServerStatus(raw, answer)) found.push({ invariant: 'server-error', detail: `${what}: ${answer.status} ${answer.text.slice(0, 200)}` });
  if (answer.elapsedMs > lane.target.boundMs) found.push({ invariant: 'slow', detail: `${what}: ${answer.elapsedMs} ms > ${lane.target.boundMs} ms` });
  return found;
}

/** The lane collection a path lies directly in, when it names a plain object there. */
function objectIn(lane: Lane, path: string): { role: LaneCollection; collection: string } | undefined {
  for (const [role, collection] of Object.entries(lane.collections) as [LaneCollection, string][]) {
    const rest = path.slice(collection.length);
    if (path.startsWith(collection) && /^[A-Za-z0-9._-]+$/.test(rest)) return { role, collection };
  }
  return undefined;
}

const hrefListed = (text: string, path: string) => text.includes(`<d:href>${path}</d:href>`);
const innerServerError = (text: string) => /<d:status>HTTP\/1\.1 5\d\d/.test(text);

/**
 * Whether every start and due date of a calendar object lies well inside the default sync window
 * (a month back, a year ahead), and so does the first occurrence of each series (a rule need not
 * occur on its DTSTART: YEARLY;BYMONTH=3 from a July DTSTART first occurs in March); outside it
 * the server rightly leaves the object out of listings. Unreadable input is not claimed listable.
 */
export function inSyncWindow(body: string, now = Date.now()): boolean {
  const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const [from, to] = [day(-25), day(330)];
  const inside = (date: string) => date >= from && date <= to;
  if (![...body.matchAll(/^(?:DTSTART|DUE)[^:\r\n]*:(\d{8})/gm)].every(([, date]) => inside(date))) return false;
  if (!/^(?:RRULE|RDATE)[;:]/m.test(body)) return true;
  try {
    const calendar = new ICAL.Component(ICAL.parse(body));
    const series = calendar.getAllSubcomponents().filter((c) => ['vevent', 'vtodo'].includes(c.name) && !c.hasProperty('recurrence-id'));
    return series.length > 0 && series.every((component) => {
      if (!component.hasProperty('dtstart')) return false;
      // Only objects the server stored come here: its bounded check found their rule yields.
      const first = new ICAL.Event(component).iterator().next();
      return first !== undefined && first !== null && inside(first.toString().slice(0, 10).replace(/-/g, ''));
    });
  } catch {
    return false;
  }
}

/** After a 2xx PUT: the object is served by GET (both vCard versions), listed, and found by a query, without 5xx or delay. */
async function readBack(lane: Lane, path: string, role: LaneCollection, collection: string, listable: boolean): Promise<Violation[]> {
  const violations: Violation[] = [];
  const check = async (what: string, answer: HttpAnswer, raw: RawRequest, ok: (answer: HttpAnswer) => string | undefined) => {
    const timed = timing(what, answer, lane, raw);
    violations.push(...timed.map((v) => ({ ...v, invariant: v.invariant === 'server-error' ? ('stored-not-readable' as const) : v.invariant })));
    if (timed.length === 0) {
      const problem = ok(answer);
      if (problem) violations.push({ invariant: 'stored-not-readable', detail: `${what}: ${problem}` });
    }
  };
  const run = async (what: string, method: string, target: string, headers: Record<string, string>, body: string | undefined, ok: (answer: HttpAnswer) => string | undefined) => {
    const raw = { method, path: target, headers };
    await check(what, await lane.send(method, target, headers, body), raw, ok);
  };
  const status200 = (answer: HttpAnswer) => (answer.status === 200 ? undefined : `answered ${answer.status}`);
  const multistatusListing = (answer: HttpAnswer) =>
    answer.status !== 207 ? `answered ${answer.status}` : listable && !hrefListed(answer.text, path) ? 'the object is not in the answer' : innerServerError(answer.text) ? `a 5xx inside: ${answer.text.slice(0, 300)}` : undefined;

  if (role === 'book') {
    await run('GET', 'GET', path, {}, undefined, status200);
    await run('GET as vCard 3.0', 'GET', path, { Accept: 'text/vcard; version=3.0' }, undefined, status200);
    await run('GET as vCard 4.0', 'GET', path, { Accept: 'text/vcard; version=4.0' }, undefined, status200);
  } else {
    await run('GET', 'GET', path, {}, undefined, status200);
  }
  await run('PROPFIND Depth 1 of its collection', 'PROPFIND', collection, { Depth: '1', 'Content-Type': 'application/xml' }, '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>', multistatusListing);
  if (role === 'book') {
    for (const version of ['3.0', '4.0']) {
      await run(`addressbook-query (vCard ${version})`, 'REPORT', collection, { Depth: '1', 'Content-Type': 'application/xml' }, `<A:addressbook-query xmlns:D="DAV:" xmlns:A="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><A:address-data content-type="text/vcard" version="${version}"/></D:prop><A:filter/></A:addressbook-query>`, multistatusListing);
    }
  } else {
    const component = role === 'tasks' ? 'VTODO' : 'VEVENT';
    const query = (inner: string, filter: string) =>
      `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data>${inner}</C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR">${filter}</C:comp-filter></C:filter></C:calendar-query>`;
    await run('calendar-query', 'REPORT', collection, { Depth: '1', 'Content-Type': 'application/xml' }, query('', ''), multistatusListing);
    // Expansion over years is where recurrence and zone work hides; only bounded time and no 5xx are asked of it.
    await run('calendar-query with expand 2025-2028', 'REPORT', collection, { Depth: '1', 'Content-Type': 'application/xml' }, query('<C:expand start="20250101T000000Z" end="20280101T000000Z"/>', `<C:comp-filter name="${component}"><C:time-range start="20250101T000000Z" end="20280101T000000Z"/></C:comp-filter>`), (answer) =>
      answer.status < 500 && innerServerError(answer.text) ? `a 5xx inside: ${answer.text.slice(0, 300)}` : undefined,
    );
  }
  return violations;
}

/** The object path whose properties a refusal must leave alone, if the request names one. */
function statePath(lane: Lane, raw: RawRequest): string | undefined {
  return objectIn(lane, raw.path) ? raw.path : undefined;
}

/** Runs one case on a lane and checks every invariant. */
export async function runCase(lane: Lane, fuzzCase: FuzzCase): Promise<CaseOutcome & { changed: boolean }> {
  await lane.prepare(fuzzCase.request);
  const raw = lane.resolve(fuzzCase.request);
  const sent = { method: raw.method, path: raw.path.length > 300 ? `${raw.path.slice(0, 300)}…(${raw.path.length})` : raw.path, headers: Object.fromEntries(Object.entries(raw.headers).map(([n, v]) => [n, v.length > 300 ? `${v.slice(0, 300)}…(${v.length})` : v])), bodyBytes: raw.body?.length ?? 0 };
  const objectPath = statePath(lane, raw);
  const before = await lane.state(objectPath);
  const answer = await lane.target.send(raw);
  const response = { status: answer.status, elapsedMs: answer.elapsedMs, error: answer.error, excerpt: answer.text.slice(0, 400) };
  if (answer.error?.startsWith('unsendable')) return { fuzzCase, sent, response, violations: [], unsendable: true, changed: false };

  const violations = timing(`${raw.method} (the input)`, answer, lane, raw);
  if (answer.status === 0) return { fuzzCase, sent, response, violations, changed: true };
  if (answer.status >= 400 && answer.status < 500) {
    lane.forgetState();
    const after = await lane.state(objectPath);
    if (before === undefined || after === undefined) violations.push({ invariant: 'state-unreadable', detail: 'the state PROPFINDs did not answer 207' });
    else if (before !== after) violations.push({ invariant: 'refusal-changed-state', detail: firstDifference(before, after) });
    return { fuzzCase, sent, response, violations, changed: false };
  }
  const changed = !SAFE.has(raw.method.toUpperCase()) || answer.status >= 500;
  if (changed) lane.forgetState();
  const stored = objectIn(lane, raw.path);
  if (raw.method === 'PUT' && answer.status >= 200 && answer.status < 300 && stored) violations.push(...(await readBack(lane, raw.path, stored.role, stored.collection, stored.role === 'book' || inSyncWindow(raw.body?.toString('utf8') ?? ''))));
  return { fuzzCase, sent, response, violations, changed };
}

function firstDifference(before: string, after: string): string {
  let i = 0;
  while (i < before.length && before[i] === after[i]) i += 1;
  return `before: …${before.slice(Math.max(0, i - 80), i + 120)}… after: …${after.slice(Math.max(0, i - 80), i + 120)}…`;
}
