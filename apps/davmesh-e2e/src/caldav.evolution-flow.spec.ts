import { request as httpRequest } from 'node:http';
import { basicAuth, EVOLUTION_UA, hrefsOf, icalUtc, parseMultistatus, vcalendar, vtodo } from '@davmesh/testing';
import { dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const CALDAV = 'urn:ietf:params:xml:ns:caldav';
const DAY = 86_400_000;

/** evolution-data-server's discovery PROPFIND (e-webdav-discover.c), on the URL the user typed. */
const DISCOVER = `<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:resourcetype/><D:current-user-principal/><D:principal-URL/><C:calendar-home-set/><C:calendar-user-address-set/><A:addressbook-home-set/></D:prop>
</D:propfind>`;

/** e_webdav_session_list_sync with SUPPORTS | DISPLAY_NAME | DESCRIPTION | COLOR, Depth 1 on the home. */
const LIST_HOME = `<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="urn:ietf:params:xml:ns:carddav" xmlns:IC="http://apple.com/ns/ical/">
  <D:prop><D:resourcetype/><C:supported-calendar-component-set/><D:displayname/><C:calendar-description/><A:addressbook-description/><IC:calendar-color/></D:prop>
</D:propfind>`;

const GETCTAG = '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:getctag/></D:prop></D:propfind>';

/** The changes query of e-cal-backend-caldav.c: getetag only, first within five weeks of now, then unbounded. */
function changesQuery(range?: { start: Date; end: Date }): string {
  const timeRange = range ? `<C:time-range start="${icalUtc(range.start)}" end="${icalUtc(range.end)}"/>` : '';
  return `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:D="DAV:">
  <D:prop><D:getetag/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO">${timeRange}</C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>`;
}

/** Its list_existing query: Depth 0 on the collection, calendar-data narrowed to the UID. */
const LIST_EXISTING = `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:D="DAV:">
  <D:prop><D:getetag/><C:calendar-data><C:comp name="VCALENDAR"><C:comp name="VTODO"><C:prop name="UID"/></C:comp></C:comp></C:calendar-data></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"/></C:comp-filter></C:filter>
</C:calendar-query>`;

function multiget(hrefs: string[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-multiget xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:D="DAV:">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  ${hrefs.map((href) => `<D:href>${href}</D:href>`).join('')}
</C:calendar-multiget>`;
}

/** Evolution writes objects with chunked transfer encoding (no Content-Length). */
function chunkedPut(url: string, login: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; etag?: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, url), {
      method: 'PUT',
      headers: { Authorization: basicAuth(login, 'evo-pw'), 'User-Agent': EVOLUTION_UA, 'Content-Type': 'text/calendar; charset=utf-8', Connection: 'close', ...headers },
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, etag: response.headers.etag, location: response.headers.location }));
    });
    request.on('error', reject);
    const half = Math.floor(body.length / 2);
    request.write(body.slice(0, half));
    request.end(body.slice(half));
  });
}

describe('Evolution (evolution-data-server) syncing a task list, request for request', () => {
  const server = sharedNodePerSuite();
  let send: ReturnType<typeof dav>;
  let login: string;
  let tasks: string;
  const evo = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    send(method, path, { 'User-Agent': EVOLUTION_UA, Connection: 'close', 'Content-Type': 'application/xml; charset=utf-8', ...headers }, body);
  const ctag = async () => (await parseMultistatus((await evo('PROPFIND', tasks, { Depth: '0' }, GETCTAG)).text))[0].found.get('{http://calendarserver.org/ns/}getctag')!.text;
  const hrefsIn = async (text: string) => (await parseMultistatus(text)).map((r) => r.href).sort();

  const now = Date.now();
  const inTwoMonths = new Date(now + 60 * DAY);
  const objects = {
    undated: vcalendar(...vtodo('evo-undated', 'SUMMARY:Water the plants', 'STATUS:NEEDS-ACTION')),
    dueSoon: vcalendar(...vtodo('evo-due-soon', 'SUMMARY:File taxes', `DUE:${icalUtc(new Date(now + 3 * DAY))}`)),
    dueLater: vcalendar(...vtodo('evo-due-later', 'SUMMARY:Renew passport', `DTSTART:${icalUtc(new Date(now + 59 * DAY))}`, `DUE:${icalUtc(inTwoMonths)}`)),
  };

  beforeAll(async () => {
    login = (await server().addUser('evo', 'evo-pw')).login;
    send = dav(server().url, login, 'evo-pw');
  });

  it('discovers the principal, the homes and the tasks list from the server root, with the component set Evolution filters on', async () => {
    const root = await evo('PROPFIND', '/dav/', { Depth: '0' }, DISCOVER);
    expect(root.status).toBe(207);
    const [rootEntry] = await parseMultistatus(root.text);
    const [principal] = hrefsOf(rootEntry.found.get('{DAV:}current-user-principal'));
    expect(principal).toMatch(/^\/dav\/principals\/users\/\d+\/$/);

    const sets = await evo('PROPFIND', principal, { Depth: '0' }, DISCOVER);
    const [principalEntry] = await parseMultistatus(sets.text);
    expect(hrefsOf(principalEntry.found.get(`{${CALDAV}}calendar-home-set`))).toEqual(['/dav/caldav/']);
    expect(hrefsOf(principalEntry.found.get(`{${CALDAV}}calendar-user-address-set`))).toContain('mailto:evo@example.org');

    const home = await evo('PROPFIND', '/dav/caldav/', { Depth: '1' }, LIST_HOME);
    expect(home.status).toBe(207);
    const entries = await parseMultistatus(home.text);
    const lists = entries.filter((e) => e.found.get('{DAV:}resourcetype')?.children.some((c) => c.name.ns === CALDAV && c.name.local === 'calendar'));
    const taskLists = lists.filter((e) => e.found.get(`{${CALDAV}}supported-calendar-component-set`)?.children.some((c) => c.attributes['name'] === 'VTODO'));
    expect(taskLists).toHaveLength(1);
    const [list] = taskLists;
    expect(list.found.get(`{${CALDAV}}supported-calendar-component-set`)?.children.map((c) => c.attributes['name'])).toEqual(['VTODO']);
    expect(list.found.get('{DAV:}displayname')?.text).toBe('Tasks');
    // The CardDAV description asked beside the CalDAV one is only missing, not an error.
    expect(list.missing.get('{urn:ietf:params:xml:ns:carddav}addressbook-description')).toBe(404);
    tasks = list.href;
  });

  it('connects: OPTIONS says calendar-access and allows DELETE, the privilege set says write, getctag is there', async () => {
    const options = await evo('OPTIONS', tasks);
    expect(options.status).toBe(200);
    expect(options.headers['dav']).toContain('calendar-access');
    // Evolution's fallback when the privilege set fails: writable if PUT, POST or DELETE is allowed.
    expect(options.headers['allow']).toEqual(expect.stringContaining('DELETE'));

    const privileges = await evo('PROPFIND', tasks, { Depth: '0' }, '<D:propfind xmlns:D="DAV:"><D:prop><D:current-user-privilege-set/></D:prop></D:propfind>');
    const [entry] = await parseMultistatus(privileges.text);
    const names = entry.found.get('{DAV:}current-user-privilege-set')!.children.map((p) => p.children[0].name.local);
    expect(names).toEqual(expect.arrayContaining(['read', 'write', 'write-content']));
    expect(await ctag()).toMatch(/\S/);
  });

  it('creates tasks with If-None-Match: * over chunked PUTs, and a second create of the same name is refused', async () => {
    for (const [name, ics] of Object.entries(objects)) {
      const created = await chunkedPut(server().url, login, `${tasks}${name}.ics`, ics, { 'If-None-Match': '*' });
      expect(created.status).toBe(201);
      expect(created.etag).toMatch(/^"[^"]+"$/);
    }
    const again = await chunkedPut(server().url, login, `${tasks}undated.ics`, objects.undated, { 'If-None-Match': '*' });
    expect(again.status).toBe(412);
  });

  it('lists changes in two passes: the five-week window first (undated tasks included, RFC 4791 9.9), then everything', async () => {
    const window = { start: new Date(now - 35 * DAY), end: new Date(now + 35 * DAY) };
    const first = await evo('REPORT', tasks, { Depth: '1' }, changesQuery(window));
    expect(first.status).toBe(207);
    expect(await hrefsIn(first.text)).toEqual([`${tasks}dueSoon.ics`, `${tasks}undated.ics`]);
    for (const entry of await parseMultistatus(first.text)) expect(entry.found.get('{DAV:}getetag')?.text).toMatch(/^"[^"]+"$/);

    const second = await evo('REPORT', tasks, { Depth: '1' }, changesQuery());
    expect(await hrefsIn(second.text)).toEqual([`${tasks}dueLater.ics`, `${tasks}dueSoon.ics`, `${tasks}undated.ics`]);
  });

  it('answers its Depth 0 list_existing query with every task and its UID', async () => {
    const response = await evo('REPORT', tasks, { Depth: '0' }, LIST_EXISTING);
    expect(response.status).toBe(207);
    const entries = await parseMultistatus(response.text);
    expect(entries.map((e) => /UID:(\S+)/.exec(e.found.get(`{${CALDAV}}calendar-data`)?.text ?? '')?.[1]).sort()).toEqual(['evo-due-later', 'evo-due-soon', 'evo-undated']);
  });

  it('fetches by multiget the bytes it wrote, with the ETag the PUT answered', async () => {
    const etagOf = async (name: string) => (await evo('GET', `${tasks}${name}.ics`)).headers['etag'];
    const response = await evo('REPORT', tasks, { Depth: '0' }, multiget([`${tasks}undated.ics`, `${tasks}dueLater.ics`]));
    expect(response.status).toBe(207);
    const entries = await parseMultistatus(response.text);
    expect(entries.map((e) => e.href)).toEqual([`${tasks}undated.ics`, `${tasks}dueLater.ics`]);
    expect(entries[0].found.get(`{${CALDAV}}calendar-data`)?.text).toBe(objects.undated);
    expect(entries[1].found.get(`{${CALDAV}}calendar-data`)?.text).toBe(objects.dueLater);
    expect(entries[0].found.get('{DAV:}getetag')?.text).toBe(await etagOf('undated'));
  });

  it('completes a task with If-Match: the stored ETag changes, getctag moves, a stale If-Match is refused', async () => {
    const before = await ctag();
    const { headers } = await evo('GET', `${tasks}dueSoon.ics`);
    const done = vcalendar(...vtodo('evo-due-soon', 'SUMMARY:File taxes', `DUE:${icalUtc(new Date(now + 3 * DAY))}`, 'STATUS:COMPLETED', `COMPLETED:${icalUtc(new Date(now))}`, 'PERCENT-COMPLETE:100'));
    const updated = await chunkedPut(server().url, login, `${tasks}dueSoon.ics`, done, { 'If-Match': headers['etag'] });
    expect(updated.status).toBe(204);
    expect(updated.etag).not.toBe(headers['etag']);
    expect(await ctag()).not.toBe(before);
    expect((await evo('GET', `${tasks}dueSoon.ics`)).text).toBe(done);

    const stale = await chunkedPut(server().url, login, `${tasks}dueSoon.ics`, objects.dueSoon, { 'If-Match': headers['etag'] });
    expect(stale.status).toBe(412);
  });

  it('deletes with If-Match and Depth: 0; a stale ETag is refused, a second delete is 404 (which Evolution ignores)', async () => {
    const { headers } = await evo('GET', `${tasks}undated.ics`);
    expect((await evo('DELETE', `${tasks}undated.ics`, { Depth: '0', 'If-Match': '"not-the-etag"' })).status).toBe(412);
    expect((await evo('DELETE', `${tasks}undated.ics`, { Depth: '0', 'If-Match': headers['etag'] })).status).toBe(204);
    expect((await evo('DELETE', `${tasks}undated.ics`, { Depth: '0', 'If-Match': headers['etag'] })).status).toBe(404);
    const remaining = await evo('REPORT', tasks, { Depth: '1' }, changesQuery());
    expect(await hrefsIn(remaining.text)).toEqual([`${tasks}dueLater.ics`, `${tasks}dueSoon.ics`]);
  });

  it('finds the owner of the list (for the schedule outbox lookup) and reads that principal', async () => {
    const response = await evo('PROPFIND', tasks, { Depth: '0' }, '<D:propfind xmlns:D="DAV:"><D:prop><D:owner/></D:prop></D:propfind>');
    const [entry] = await parseMultistatus(response.text);
    const [owner] = hrefsOf(entry.found.get('{DAV:}owner'));
    const outbox = await evo('PROPFIND', owner, { Depth: '0' }, `<D:propfind xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:prop><C:schedule-outbox-URL/></D:prop></D:propfind>`);
    expect(outbox.status).toBe(207);
    expect(hrefsOf((await parseMultistatus(outbox.text))[0].found.get(`{${CALDAV}}schedule-outbox-URL`))).toEqual(['/dav/caldav/outbox/']);
  });
});
