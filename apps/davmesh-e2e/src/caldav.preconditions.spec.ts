import { eventIcs, taskIcs, vcalendar, vevent } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('CalDAV preconditions: refused writes answer the RFC 4791 element and store nothing', () => {
  let send: ReturnType<typeof dav>;
  let events: string;
  let tasks: string;
  const put = (path: string, body: string, type = 'text/calendar; charset=utf-8', headers: Record<string, string> = {}) =>
    send('PUT', path, { 'Content-Type': type, ...headers }, body);
  const get = (path: string) => send('GET', path);

  const server = sharedNodePerSuite();

  beforeAll(async () => {
    send = dav(server().url, server().demo.login, server().demo.password);
    const hrefs = await calendarHrefs(send);
    events = hrefs['Calendar'];
    tasks = hrefs['Tasks'];
  }, 60_000);

  it('refuses a body that is no iCalendar with valid-calendar-data', async () => {
    const response = await put(`${events}bad.ics`, 'BEGIN:VCALENDAR\r\nthis is not ical\r\n');
    expect(response.status).toBe(403);
    expect(response.text).toMatch(/<cal:valid-calendar-data\/>/);
    expect((await get(`${events}bad.ics`)).status).toBe(404);
  });

  it('refuses two UIDs in one resource with valid-calendar-object-resource', async () => {
    const times = ['DTSTART:20260105T100000Z', 'DTEND:20260105T110000Z'];
    const response = await put(`${events}two.ics`, vcalendar(...vevent('a', ...times), ...vevent('b', ...times)));
    expect(response.status).toBe(403);
    expect(response.text).toContain('valid-calendar-object-resource');
    expect((await get(`${events}two.ics`)).status).toBe(404);
  });

  it('refuses a task in the events folder, and an event in the tasks folder, with supported-calendar-component', async () => {
    const task = await put(`${events}task.ics`, taskIcs('t-1', 'A task'));
    expect(task.status).toBe(403);
    expect(task.text).toMatch(/<cal:supported-calendar-component\/>/);
    const event = await put(`${tasks}event.ics`, eventIcs('e-1', 'An event'));
    expect(event.status).toBe(403);
    expect(event.text).toContain('supported-calendar-component');
    expect((await get(`${events}task.ics`)).status).toBe(404);
  });

  it('refuses another media type with supported-calendar-data', async () => {
    const response = await put(`${events}plain.ics`, eventIcs('p-1', 'Plain'), 'text/plain');
    expect(response.status).toBe(403);
    expect(response.text).toMatch(/<cal:supported-calendar-data\/>/);
  });

  it('refuses an object over max-resource-size (advertised on the collection)', async () => {
    const response = await put(`${events}big.ics`, eventIcs('big', 'Big', undefined, [`DESCRIPTION:${'x'.repeat(1100 * 1024)}`]));
    expect(response.status).toBe(403);
    expect(response.text).toMatch(/<cal:max-resource-size\/>/);
    const props = await send('PROPFIND', events, { Depth: '0' }, '<propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><prop><C:max-resource-size/></prop></propfind>');
    expect(props.text).toContain('<cal:max-resource-size>1048576</cal:max-resource-size>');
  });

  it('refuses a second object with the same UID with no-uid-conflict naming the first', async () => {
    expect((await put(`${events}one.ics`, eventIcs('same-uid', 'One'))).status).toBe(201);
    const response = await put(`${events}two-same.ics`, eventIcs('same-uid', 'Two'));
    expect(response.status).toBe(409);
    expect(response.text).toContain(`<cal:no-uid-conflict><d:href>${events}one.ics</d:href></cal:no-uid-conflict>`);
    expect((await get(`${events}two-same.ics`)).status).toBe(404);
  });

  it('decides If-Match, If-None-Match: * and the If: header against the stored strong ETag', async () => {
    const created = await put(`${events}c.ics`, eventIcs('c', 'C'));
    const etag = created.headers['etag'];
    expect(etag).toMatch(/^"[^"]+"$/);
    expect((await put(`${events}c.ics`, eventIcs('c', 'C2'), undefined, { 'If-None-Match': '*' })).status).toBe(412);
    expect((await put(`${events}c.ics`, eventIcs('c', 'C3'), undefined, { 'If-Match': '"stale"' })).status).toBe(412);
    const viaIf = await put(`${events}c.ics`, eventIcs('c', 'C4'), undefined, { If: `(["${etag.slice(1, -1)}"])` });
    expect(viaIf.status).toBe(204);
    const read = await get(`${events}c.ics`);
    expect(read.text).toContain('SUMMARY:C4');
    expect(read.headers['etag']).toBe(viaIf.headers['etag']);
    expect(read.headers['content-type']).toBe('text/calendar; charset=utf-8; component=vevent');
    expect(new Date(read.headers['last-modified']).getTime()).toBeGreaterThan(Date.now() - 120_000);
    expect((await send('DELETE', `${events}c.ics`, { 'If-Match': '"stale"' })).status).toBe(412);
    expect((await send('DELETE', `${events}c.ics`, { 'If-Match': read.headers['etag'] })).status).toBe(204);
  });

  it('answers Depth: infinity on a collection with DAV:propfind-finite-depth', async () => {
    const response = await send('PROPFIND', events, { Depth: 'infinity' }, '');
    expect(response.status).toBe(403);
    expect(response.text).toContain('propfind-finite-depth');
  });

  it('answers an unknown or foreign sync token with DAV:valid-sync-token', async () => {
    const sync = (token: string) =>
      send('REPORT', events, {}, `<sync-collection xmlns="DAV:"><sync-token>${token}</sync-token><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>`);
    for (const token of ['http://example.org/forged', 'http://davmesh.org/ns/sync/1-1', `http://davmesh.org/ns/sync/${events.split('/')[3]}-999999`]) {
      const bad = await sync(token);
      expect(bad.status).toBe(403);
      expect(bad.text).toContain('valid-sync-token');
    }
  });

  it('answers a malformed calendar-query filter with CALDAV:valid-filter', async () => {
    const response = await send('REPORT', events, { Depth: '1' }, '<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:D="DAV:"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VEVENT"/></C:filter></C:calendar-query>');
    expect(response.status).toBe(403);
    expect(response.text).toContain('valid-filter');
  });
});
