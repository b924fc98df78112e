import { CalendarInboxDeliver, UsersAdd, type User } from '@davmesh/contracts';
import { parseXml, type XmlElement } from '@davmesh/dav';
import { APPLE_CALENDAR_UA, hrefsOf, parseMultistatus, vcalendar, vevent } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const CALDAV = 'urn:ietf:params:xml:ns:caldav';
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const INBOX = '/dav/caldav/inbox/';
const OUTBOX = '/dav/caldav/outbox/';

const PRINCIPAL_PROPS = `<A:propfind xmlns:A="DAV:" xmlns:C="${CALDAV}"><A:prop>
  <C:schedule-inbox-URL/><C:schedule-outbox-URL/><C:calendar-user-address-set/><C:calendar-home-set/>
</A:prop></A:propfind>`;
const BOX_PROPS = `<A:propfind xmlns:A="DAV:" xmlns:C="${CALDAV}" xmlns:CS="http://calendarserver.org/ns/"><A:prop>
  <A:resourcetype/><A:current-user-privilege-set/><A:owner/><A:supported-report-set/><A:sync-token/><CS:getctag/><C:schedule-default-calendar-URL/>
</A:prop></A:propfind>`;
const ETAGS = '<A:propfind xmlns:A="DAV:"><A:prop><A:getetag/><A:getcontenttype/></A:prop></A:propfind>';
const syncBody = (token = '') =>
  `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;

const itip = (method: string, uid: string, ...props: string[]) =>
  vcalendar(`METHOD:${method}`, ...vevent(uid, 'ORGANIZER:mailto:bert@example.org', 'ATTENDEE:mailto:anna@example.org', 'DTSTART:20300310T100000Z', 'DTEND:20300310T110000Z', ...props));
const timed = (uid: string, start: string, end: string, ...props: string[]) => vcalendar(...vevent(uid, `DTSTART:${start}`, `DTEND:${end}`, ...props));

function freeBusyRequest(organizer: string, attendees: string[], start = '20300310T000000Z', end = '20300311T000000Z'): string {
  return vcalendar(
    'METHOD:REQUEST',
    'BEGIN:VFREEBUSY',
    'UID:fb-request-1',
    'DTSTAMP:20300301T000000Z',
    `DTSTART:${start}`,
    `DTEND:${end}`,
    `ORGANIZER:${organizer}`,
    ...attendees.map((a) => `ATTENDEE:${a}`),
    'END:VFREEBUSY',
  );
}

/** A schedule-response as a client reads it: per recipient, its status and calendar-data. */
async function scheduleResponses(body: string): Promise<{ recipient: string; status: string; data?: string }[]> {
  const root = await parseXml(body);
  expect([root.name.ns, root.name.local]).toEqual([CALDAV, 'schedule-response']);
  const child = (element: XmlElement, local: string) => element.children.find((c) => c.name.ns === CALDAV && c.name.local === local);
  return root.children.map((response) => ({
    recipient: hrefsOf(child(response, 'recipient'))[0],
    status: child(response, 'request-status')!.text,
    data: child(response, 'calendar-data')?.text,
  }));
}

const names = (element: XmlElement | undefined) => element?.children.map((c) => `${c.name.ns === CALDAV ? 'C:' : ''}${c.name.local}`) ?? [];
const privilegesOf = (element: XmlElement | undefined) => element?.children.map((p) => `${p.children[0].name.ns === CALDAV ? 'C:' : ''}${p.children[0].name.local}`) ?? [];

describe('RFC 6638 schedule inbox and outbox, and free-busy through the outbox', () => {
  const server = sharedNodePerSuite();
  let anna: User;
  let bert: User;
  let cleo: User;
  let dave: User;
  const as = (user: User, password = 'pw') => dav(server().url, user.login, password);

  beforeAll(async () => {
    anna = await server().addUser('anna', 'pw');
    bert = await server().addUser('bert', 'pw');
    cleo = await server().addUser('cleo', 'pw');
    // Another context: outside this one, as unknown to anna as a stranger.
    const other = await server().addContext('other');
    dave = await server().bus.call(UsersAdd, { login: `dave-${other}`, password: 'pw', contextId: other, email: 'dave@example.org' });
    const put = async (user: User, name: string, ical: string) => {
      const { Calendar } = await calendarHrefs(as(user));
      expect((await as(user)('PUT', `${Calendar}${name}`, ICS, ical)).status).toBe(201);
    };
    await put(bert, 'busy.ics', timed('bert-busy', '20300310T100000Z', '20300310T110000Z', 'SUMMARY:bert is busy'));
    await put(cleo, 'free.ics', timed('cleo-free', '20300310T120000Z', '20300310T130000Z', 'TRANSP:TRANSPARENT'));
    await put(cleo, 'off.ics', timed('cleo-off', '20300310T140000Z', '20300310T150000Z', 'STATUS:CANCELLED'));
    await put(dave, 'secret.ics', timed('dave-secret', '20300310T160000Z', '20300310T170000Z', 'SUMMARY:dave secret'));
  }, 60_000);

  it('gives the own principal its inbox and outbox URLs and the mailto: address first; a colleague\'s principal has none', async () => {
    const own = `/dav/principals/users/${anna.userId}/`;
    const [entry] = await parseMultistatus((await as(anna)('PROPFIND', own, { Depth: '0', 'User-Agent': APPLE_CALENDAR_UA }, PRINCIPAL_PROPS)).text);
    expect(hrefsOf(entry.found.get(`{${CALDAV}}schedule-inbox-URL`))).toEqual([INBOX]);
    expect(hrefsOf(entry.found.get(`{${CALDAV}}schedule-outbox-URL`))).toEqual([OUTBOX]);
    expect(hrefsOf(entry.found.get(`{${CALDAV}}calendar-user-address-set`))).toEqual(['mailto:anna@example.org', own]);
    const [colleague] = await parseMultistatus((await as(anna)('PROPFIND', `/dav/principals/users/${bert.userId}/`, { Depth: '0' }, PRINCIPAL_PROPS)).text);
    expect(colleague.missing.get(`{${CALDAV}}schedule-inbox-URL`)).toBe(404);
    expect(hrefsOf(colleague.found.get(`{${CALDAV}}calendar-user-address-set`))[0]).toBe('mailto:bert@example.org');
  });

  it('describes the inbox and outbox: their resource types, privileges, reports and the default calendar; the home lists neither', async () => {
    const { Calendar } = await calendarHrefs(as(anna));
    const [inbox] = await parseMultistatus((await as(anna)('PROPFIND', INBOX, { Depth: '0' }, BOX_PROPS)).text);
    expect(inbox.href).toBe(INBOX);
    expect(names(inbox.found.get('{DAV:}resourcetype'))).toEqual(['collection', 'C:schedule-inbox']);
    expect(privilegesOf(inbox.found.get('{DAV:}current-user-privilege-set'))).toEqual([
      'read', 'read-current-user-privilege-set', 'unbind', 'write-properties', 'C:schedule-deliver', 'C:schedule-deliver-invite', 'C:schedule-deliver-reply', 'C:schedule-query-freebusy',
    ]);
    expect(hrefsOf(inbox.found.get('{DAV:}owner'))).toEqual([`/dav/principals/users/${anna.userId}/`]);
    expect(inbox.found.get('{DAV:}supported-report-set')?.children.map((r) => r.children[0].children[0].name.local).sort()).toEqual(['calendar-multiget', 'sync-collection']);
    expect(inbox.found.get('{DAV:}sync-token')?.text).toMatch(/^http:\/\/davmesh\.org\/ns\/sync\/\d+-0$/);
    expect(hrefsOf(inbox.found.get(`{${CALDAV}}schedule-default-calendar-URL`))).toEqual([Calendar]);

    const outboxDepth1 = await parseMultistatus((await as(anna)('PROPFIND', OUTBOX, { Depth: '1' }, BOX_PROPS)).text);
    expect(outboxDepth1.map((r) => r.href)).toEqual([OUTBOX]);
    expect(names(outboxDepth1[0].found.get('{DAV:}resourcetype'))).toEqual(['collection', 'C:schedule-outbox']);
    expect(privilegesOf(outboxDepth1[0].found.get('{DAV:}current-user-privilege-set'))).toEqual([
      'read', 'read-current-user-privilege-set', 'C:schedule-send', 'C:schedule-send-invite', 'C:schedule-send-reply', 'C:schedule-send-freebusy',
    ]);
    const options = await as(anna)('OPTIONS', OUTBOX);
    expect(options.headers['allow']).toContain('POST');
    expect(options.headers['dav']).toContain('calendar-auto-schedule');

    const home = await parseMultistatus((await as(anna)('PROPFIND', '/dav/caldav/', { Depth: '1' }, BOX_PROPS)).text);
    expect(home.map((r) => r.href).filter((href) => href === INBOX || href === OUTBOX)).toEqual([]);
  });

  it('shows delivered messages (PROPFIND Depth 1, GET, multiget), moves its sync token, and lets the owner delete them', async () => {
    const send = as(anna);
    const initial = await send('REPORT', INBOX, XML, syncBody());
    const token = /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(initial.text)![1];
    const request = itip('REQUEST', 'meeting-1', 'SEQUENCE:0');
    const first = await server().bus.call(CalendarInboxDeliver, { userId: anna.userId, ical: request });
    const second = await server().bus.call(CalendarInboxDeliver, { userId: anna.userId, ical: itip('REQUEST', 'meeting-1', 'SEQUENCE:1') });

    const listing = await parseMultistatus((await send('PROPFIND', INBOX, { Depth: '1' }, ETAGS)).text);
    expect(listing.map((r) => r.href).sort()).toEqual([INBOX, `${INBOX}${first.name}`, `${INBOX}${second.name}`].sort());
    expect(listing.find((r) => r.href === `${INBOX}${first.name}`)?.found.get('{DAV:}getetag')?.text).toBe(`"${first.etag}"`);
    const got = await send('GET', `${INBOX}${first.name}`);
    expect([got.status, got.text, got.headers['etag']]).toEqual([200, request, `"${first.etag}"`]);
    const multiget = await send(
      'REPORT',
      INBOX,
      { ...XML, Depth: '1' },
      `<C:calendar-multiget xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:prop><C:calendar-data/></D:prop><D:href>${INBOX}${second.name}</D:href></C:calendar-multiget>`,
    );
    expect(multiget.status).toBe(207);
    expect(multiget.text).toContain('SEQUENCE:1');

    const changed = await send('REPORT', INBOX, XML, syncBody(token));
    expect((await parseMultistatus(changed.text)).map((r) => r.href).sort()).toEqual([`${INBOX}${first.name}`, `${INBOX}${second.name}`].sort());
    const next = /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(changed.text)![1];
    expect(next).not.toBe(token);

    expect((await send('DELETE', `${INBOX}${first.name}`)).status).toBe(204);
    expect((await send('GET', `${INBOX}${first.name}`)).status).toBe(404);
    const removed = await send('REPORT', INBOX, XML, syncBody(next));
    expect(removed.text).toContain(`<d:href>${INBOX}${first.name}</d:href><d:status>HTTP/1.1 404 Not Found</d:status>`);
    // Only its owner sees it.
    expect((await as(bert)('GET', `${INBOX}${second.name}`)).status).toBe(404);
  });

  it('refuses PUT, MOVE into it, MKCALENDAR, DELETE and calendar-query on the inbox, and POST anywhere but the outbox', async () => {
    const send = as(anna);
    const { Calendar } = await calendarHrefs(send);
    const put = await send('PUT', `${INBOX}mine.ics`, ICS, timed('mine', '20300310T100000Z', '20300310T110000Z'));
    expect(put.status).toBe(403);
    expect(put.text).toContain('need-privileges');
    await send('PUT', `${Calendar}movable.ics`, ICS, timed('movable', '20300310T100000Z', '20300310T110000Z'));
    const move = await send('MOVE', `${Calendar}movable.ics`, { Destination: `${server().url}${INBOX}movable.ics` });
    expect(move.status).toBe(403);
    expect((await send('GET', `${Calendar}movable.ics`)).status).toBe(200);
    expect((await send('MKCALENDAR', INBOX)).status).toBe(405);
    expect((await send('MKCALENDAR', OUTBOX)).status).toBe(405);
    expect((await send('DELETE', INBOX)).status).toBe(405);
    const query = await send('REPORT', INBOX, XML, `<C:calendar-query xmlns:C="${CALDAV}"><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`);
    expect([query.status, query.text.includes('supported-report')]).toEqual([403, true]);
    expect((await send('POST', INBOX, ICS, 'x')).status).toBe(405);
  });

  it('takes another own event calendar as the schedule-default-calendar-URL, and refuses a task list', async () => {
    const send = as(anna);
    const mk = (name: string, comp: string) =>
      send('MKCALENDAR', `/dav/caldav/${name}/`, XML, `<C:mkcalendar xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:set><D:prop><C:supported-calendar-component-set><C:comp name="${comp}"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`);
    expect((await mk('work', 'VEVENT')).status).toBe(201);
    expect((await mk('chores', 'VTODO')).status).toBe(201);
    const patch = (href: string) =>
      send('PROPPATCH', INBOX, XML, `<D:propertyupdate xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:set><D:prop><C:schedule-default-calendar-URL><D:href>${href}</D:href></C:schedule-default-calendar-URL></D:prop></D:set></D:propertyupdate>`);
    expect((await patch('/dav/caldav/work/')).status).toBe(207);
    const [inbox] = await parseMultistatus((await send('PROPFIND', INBOX, { Depth: '0' }, BOX_PROPS)).text);
    expect(hrefsOf(inbox.found.get(`{${CALDAV}}schedule-default-calendar-URL`))).toEqual(['/dav/caldav/work/']);
    const refused = await patch('/dav/caldav/chores/');
    expect([refused.status, refused.text.includes('valid-schedule-default-calendar-URL')]).toEqual([403, true]);
  });

  it("answers a free-busy POST per attendee: a colleague's busy time, transparent and cancelled events left out, 3.7 for unknown and another context's users", async () => {
    const attendees = ['mailto:bert@example.org', 'mailto:CLEO@example.org', 'mailto:nobody@example.org', 'mailto:dave@example.org', `/dav/principals/users/${dave.userId}/`];
    const response = await as(anna)('POST', OUTBOX, { ...ICS, 'User-Agent': APPLE_CALENDAR_UA }, freeBusyRequest('mailto:anna@example.org', attendees));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    const answers = await scheduleResponses(response.text);
    expect(answers.map((a) => [a.recipient, a.status])).toEqual([
      ['mailto:bert@example.org', '2.0;Success'],
      ['mailto:CLEO@example.org', '2.0;Success'],
      ['mailto:nobody@example.org', '3.7;Invalid calendar user'],
      ['mailto:dave@example.org', '3.7;Invalid calendar user'],
      [`/dav/principals/users/${dave.userId}/`, '3.7;Invalid calendar user'],
    ]);
    const [bertData, cleoData] = answers.map((a) => a.data ?? '');
    expect(bertData).toContain('METHOD:REPLY');
    expect(bertData).toContain('ATTENDEE:mailto:bert@example.org');
    expect(bertData).toContain('ORGANIZER:mailto:anna@example.org');
    expect(bertData).toContain('UID:fb-request-1');
    expect(bertData.match(/^FREEBUSY.*$/gm)).toEqual(['FREEBUSY;FBTYPE=BUSY:20300310T100000Z/20300310T110000Z']);
    expect(bertData).not.toContain('bert is busy');
    expect(cleoData).toContain('BEGIN:VFREEBUSY');
    expect(cleoData).not.toContain('FREEBUSY;');
    expect(answers.slice(2).every((a) => a.data === undefined)).toBe(true);
    expect(response.text).not.toContain('20300310T160000Z/');
  });

  it('accepts the own principal URL as organizer and refuses anyone else with CALDAV:organizer-allowed', async () => {
    const byPrincipal = await as(anna)('POST', OUTBOX, ICS, freeBusyRequest(`${server().url}/dav/principals/users/${anna.userId}/`, ['mailto:bert@example.org']));
    expect(byPrincipal.status).toBe(200);
    for (const organizer of ['mailto:bert@example.org', `/dav/principals/users/${bert.userId}/`, 'urn:uuid:someone']) {
      const refused = await as(anna)('POST', OUTBOX, ICS, freeBusyRequest(organizer, ['mailto:bert@example.org']));
      expect([organizer, refused.status, refused.text.includes('organizer-allowed')]).toEqual([organizer, 403, true]);
    }
  });

  it('knows the organizer and colleagues by their principal URLs as clients write them: absolute, under the prefix, or without it', async () => {
    const attendees = [`${server().url}/dav/principals/users/${bert.userId}/`, `/principals/users/${bert.userId}`, `/dav/principals/users/${anna.userId}`];
    const response = await as(anna)('POST', OUTBOX, ICS, freeBusyRequest(`/principals/users/${anna.userId}/`, attendees));
    expect(response.status).toBe(200);
    const answers = await scheduleResponses(response.text);
    expect(answers.map((a) => [a.recipient, a.status])).toEqual(attendees.map((address) => [address, '2.0;Success']));
    for (const answer of answers.slice(0, 2)) expect(answer.data).toContain('FREEBUSY;FBTYPE=BUSY:20300310T100000Z/20300310T110000Z');
  });

  it('refuses bodies that are not a free-busy request, and requests beyond the attendee and range limits, with their preconditions', async () => {
    const post = (body: string, headers: Record<string, string> = ICS) => as(anna)('POST', OUTBOX, headers, body);
    const ok = freeBusyRequest('mailto:anna@example.org', ['mailto:bert@example.org']);
    const cases: [string, Promise<{ status: number; text: string }>, string][] = [
      ['XML body', post(ok, XML), 'supported-calendar-data'],
      ['not iCalendar', post('BEGIN:VCALENDAR\r\nnonsense'), 'valid-calendar-data'],
      ['PUBLISH', post(ok.replace('METHOD:REQUEST', 'METHOD:PUBLISH')), 'valid-scheduling-message'],
      ['a VEVENT', post(itip('REQUEST', 'not-free-busy')), 'valid-scheduling-message'],
      ['no DTEND', post(ok.replace(/DTEND:[^\r]*\r\n/, '')), 'valid-scheduling-message'],
      ['101 attendees', post(freeBusyRequest('mailto:anna@example.org', Array.from({ length: 101 }, (_, i) => `mailto:a${i}@example.org`))), 'number-of-matches-within-limits'],
      ['367 days', post(freeBusyRequest('mailto:anna@example.org', ['mailto:bert@example.org'], '20300101T000000Z', '20310103T000000Z')), 'number-of-matches-within-limits'],
    ];
    for (const [what, answer, condition] of cases) {
      const { status, text } = await answer;
      expect([what, status, text.includes(condition)]).toEqual([what, 403, true]);
    }
  });
});
