import { caldavClient, DAVX5_UA, eventIcs, taskIcs, THUNDERBIRD_UA } from '@davmesh/testing';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('CalDAV through discovery with a real client (embedded mode)', () => {
  const server = sharedNodePerSuite();
  let url: string;
  let carla: string;

  beforeAll(async () => {
    url = server().url;
    carla = (await server().addUser('carla', 'carla-pw', { displayName: 'Carla', email: 'carla@example.org' })).login;
  }, 60_000);

  it('finds the default calendar and tasks folders, whose component sets differ', async () => {
    const client = await caldavClient(url, carla, 'carla-pw', DAVX5_UA);
    const calendars = await client.fetchCalendars();
    const byName = Object.fromEntries(calendars.map((c) => [c.displayName, c]));
    expect(Object.keys(byName).sort()).toEqual(['Calendar', 'Tasks']);
    expect(byName['Calendar'].components).toEqual(['VEVENT']);
    expect(byName['Tasks'].components).toEqual(['VTODO']);
    expect(byName['Calendar'].url).toMatch(/\/dav\/caldav\/\d+\/$/);
    expect(byName['Calendar'].ctag).toMatch(/^http:\/\/davmesh\.org\/ns\/sync\//);
    expect(byName['Calendar'].syncToken).toBe(byName['Calendar'].ctag);
    expect(byName['Calendar'].reports).toEqual(expect.arrayContaining(['calendarMultiget', 'calendarQuery', 'syncCollection', 'freeBusyQuery']));
  });

  it('round-trips an event with strong ETags: create, read by multiget, update, stale update 412, delete', async () => {
    const client = await caldavClient(url, carla, 'carla-pw', THUNDERBIRD_UA);
    const calendar = (await client.fetchCalendars()).find((c) => c.displayName === 'Calendar')!;
    const created = await client.createCalendarObject({ calendar, filename: 'Meeting 1.ics', iCalString: eventIcs('meet-1', 'Kick-off') });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toMatch(/^"[^"]+"$/);
    const objectUrl = new URL('Meeting%201.ics', calendar.url).href;
    const [stored] = await client.fetchCalendarObjects({ calendar, objectUrls: [objectUrl] });
    expect(stored.url).toMatch(/\/Meeting%201\.ics$/);
    expect(String(stored.data)).toContain('SUMMARY:Kick-off');
    expect(stored.etag).toBe(created.headers.get('etag'));

    const updated = await client.updateCalendarObject({ calendarObject: { ...stored, data: eventIcs('meet-1', 'Kick-off, moved') } });
    expect(updated.status).toBe(204);
    const stale = await client.updateCalendarObject({ calendarObject: { ...stored, data: eventIcs('meet-1', 'Stale') } });
    expect(stale.status).toBe(412);
    const [again] = await client.fetchCalendarObjects({ calendar, objectUrls: [objectUrl] });
    expect(String(again.data)).toContain('SUMMARY:Kick-off, moved');
    expect((await client.deleteCalendarObject({ calendarObject: again })).status).toBe(204);
    // The multiget answers the gone href with a 404 response, which tsdav reports as a failure.
    await expect(client.fetchCalendarObjects({ calendar, objectUrls: [objectUrl] })).rejects.toThrow(/404/);
  });

  it('keeps tasks in the tasks folder and syncs a calendar incrementally with its token', async () => {
    const client = await caldavClient(url, carla, 'carla-pw', DAVX5_UA);
    const calendars = await client.fetchCalendars();
    const tasks = calendars.find((c) => c.displayName === 'Tasks')!;
    expect((await client.createCalendarObject({ calendar: tasks, filename: 'todo-1.ics', iCalString: taskIcs('todo-1', 'Buy milk') })).status).toBe(201);
    const before = await client.syncCollection({ url: tasks.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: tasks.syncToken });
    expect(before.filter((r) => r.href).map((r) => r.href!.split('/').pop())).toEqual(['todo-1.ics']);

    const [after] = (await client.fetchCalendars()).filter((c) => c.displayName === 'Tasks');
    expect(after.syncToken).not.toBe(tasks.syncToken);
    expect((await client.createCalendarObject({ calendar: tasks, filename: 'todo-2.ics', iCalString: taskIcs('todo-2', 'Call Bob') })).status).toBe(201);
    const synced = await client.syncCalendars({ oldCalendars: [after], detailedResult: true });
    const [changed] = synced.updated;
    // Synced from the token it had: only what changed since comes back, with its data.
    expect(changed.objects?.map((o) => o.url.split('/').pop())).toEqual(['todo-2.ics']);
    expect(String(changed.objects?.[0].data)).toContain('SUMMARY:Call Bob');
  });
});
