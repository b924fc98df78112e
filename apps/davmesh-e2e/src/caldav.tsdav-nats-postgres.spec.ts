import { CalendarFoldersList, CalendarFoldersShare, ContextsAdd, UsersAdd, type User } from '@davmesh/contracts';
import {
  caldavClient,
  describeWithInfrastructure,
  DAVX5_UA,
  eventIcs,
  parseMultistatus,
  partstatOf,
  scheduleStatusOf,
  THUNDERBIRD_UA,
  withPartstat,
} from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { distributedClusterPerSuite, type DistributedCluster } from './distributed-cluster';

describeWithInfrastructure('CalDAV on real NATS and PostgreSQL: two calendar replicas, two edges', () => {
  let edgeA: string;
  let edgeB: string;
  let hanna: User;
  let ivo: User;
  let bus: DistributedCluster['bus'];

  distributedClusterPerSuite(async (cluster) => {
    const { start } = cluster;
    bus = cluster.bus;
    await start('config');
    await Promise.all([start('calendar'), start('calendar')]);
    edgeA = (await start('edge')).url!;
    edgeB = (await start('edge')).url!;
    await bus.call(ContextsAdd, { contextId: 1 });
    hanna = await bus.call(UsersAdd, { login: 'hanna', password: 'hanna-pw', contextId: 1, displayName: 'Hanna' });
    ivo = await bus.call(UsersAdd, { login: 'ivo', password: 'ivo-pw', contextId: 1, displayName: 'Ivo' });
    await bus.call(UsersAdd, { login: 'olga', password: 'olga-pw', contextId: 1, displayName: 'Olga', email: 'olga@example.org' });
    await bus.call(UsersAdd, { login: 'bert', password: 'bert-pw', contextId: 1, displayName: 'Bert', email: 'bert@example.org' });
  });

  it('writes through one edge and reads and syncs through the other, with a real client', async () => {
    const onA = await caldavClient(edgeA, 'hanna', 'hanna-pw', DAVX5_UA);
    const calendarA = (await onA.fetchCalendars()).find((c) => c.displayName === 'Calendar')!;
    expect((await onA.createCalendarObject({ calendar: calendarA, filename: 'x.ics', iCalString: eventIcs('x-1', 'Across edges') })).status).toBe(201);
    const onB = await caldavClient(edgeB, 'hanna', 'hanna-pw', THUNDERBIRD_UA);
    const calendarB = (await onB.fetchCalendars()).find((c) => c.displayName === 'Calendar')!;
    expect(calendarB.ctag).toBe((await onA.fetchCalendars()).find((c) => c.displayName === 'Calendar')!.ctag);
    const objects = await onB.fetchCalendarObjects({ calendar: calendarB });
    expect(objects.map((o) => String(o.data))[0]).toContain('SUMMARY:Across edges');
    const changes = await onB.syncCollection({ url: calendarB.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: calendarA.syncToken });
    expect(changes.filter((r) => r.href).map((r) => r.href!.split('/').pop())).toEqual(['x.ics']);
  });

  it('lets exactly one of concurrent If-Match PUTs through two edges win', async () => {
    const sendA = dav(edgeA, 'hanna', 'hanna-pw');
    const sendB = dav(edgeB, 'hanna', 'hanna-pw');
    const events = (await calendarHrefs(sendA))['Calendar'];
    const created = await sendA('PUT', `${events}race.ics`, { 'Content-Type': 'text/calendar' }, eventIcs('race', 'Start'));
    const etag = created.headers['etag'];
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 === 0 ? sendA : sendB)('PUT', `${events}race.ics`, { 'Content-Type': 'text/calendar', 'If-Match': etag }, eventIcs('race', `Writer ${i}`)),
      ),
    );
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(5);
  });

  it('writes through one edge into a calendar made, deleted and made again on the other, at once', async () => {
    const sendA = dav(edgeA, 'hanna', 'hanna-pw');
    const sendB = dav(edgeB, 'hanna', 'hanna-pw');
    const mkcalendar = () => sendA('MKCALENDAR', '/dav/caldav/work/');
    const put = (name: string) => sendB('PUT', `/dav/caldav/work/${name}`, { 'Content-Type': 'text/calendar' }, eventIcs(name, name));
    expect((await sendB('PUT', `${(await calendarHrefs(sendB))['Calendar']}warm.ics`, { 'Content-Type': 'text/calendar' }, eventIcs('warm', 'Warm'))).status).toBe(201);
    expect((await mkcalendar()).status).toBe(201);
    expect((await put('first.ics')).status).toBe(201);
    // A read after the last write leaves B holding the listing with the first folder.
    expect((await sendB('GET', '/dav/caldav/work/first.ics')).status).toBe(200);
    expect((await sendA('DELETE', '/dav/caldav/work/')).status).toBe(204);
    expect((await mkcalendar()).status).toBe(201);
    expect((await put('second.ics')).status).toBe(201);
    const listing = await sendA('PROPFIND', '/dav/caldav/work/', { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>');
    expect(listing.text).toContain('second.ics');
    expect(listing.text).not.toContain('first.ics');
  });

  it('refuses a grantee on the other edge as soon as the owner takes a share back', async () => {
    const sendIvo = dav(edgeB, 'ivo', 'ivo-pw');
    const calendar = (await bus.call(CalendarFoldersList, { userId: hanna.userId })).find((f) => f.displayName === 'Calendar')!;
    await dav(edgeA, 'hanna', 'hanna-pw')('PUT', `/dav/caldav/${calendar.collectionName}/shared.ics`, { 'Content-Type': 'text/calendar' }, eventIcs('shared', 'Shared'));
    await bus.call(CalendarFoldersShare, { userId: hanna.userId, folderId: calendar.folderId, granteeUserId: ivo.userId, rights: 'read' });
    expect((await sendIvo('GET', `/dav/caldav/${calendar.folderId}/shared.ics`)).status).toBe(200);
    await bus.call(CalendarFoldersShare, { userId: hanna.userId, folderId: calendar.folderId, granteeUserId: ivo.userId, rights: 'none' });
    expect((await sendIvo('GET', `/dav/caldav/${calendar.folderId}/shared.ics`)).status).toBe(404);
  });

  it("shows an invitation the organizer PUT through one edge to the attendee reading through the other at once, and the attendee's answer back", async () => {
    const olgaOnA = await caldavClient(edgeA, 'olga', 'olga-pw', THUNDERBIRD_UA);
    const bertOnB = await caldavClient(edgeB, 'bert', 'bert-pw', DAVX5_UA);
    // Bert's client has read his calendar and inbox through B before: B holds his listings.
    const bertCalendar = (await bertOnB.fetchCalendars()).find((c) => c.displayName === 'Calendar')!;
    expect(await bertOnB.fetchCalendarObjects({ calendar: bertCalendar })).toEqual([]);
    const inboxOnB = () =>
      dav(edgeB, 'bert', 'bert-pw')('PROPFIND', '/dav/caldav/inbox/', { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>');
    expect((await parseMultistatus((await inboxOnB()).text)).map((r) => r.href)).toEqual(['/dav/caldav/inbox/']);

    const invitation = eventIcs('across-1', 'Across edges', undefined, [
      'ORGANIZER;CN=Olga:mailto:olga@example.org',
      'ATTENDEE;CN=Olga;PARTSTAT=ACCEPTED:mailto:olga@example.org',
      'ATTENDEE;CN=Bert;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bert@example.org',
    ]);
    const olgaCalendar = (await olgaOnA.fetchCalendars()).find((c) => c.displayName === 'Calendar')!;
    expect((await olgaOnA.createCalendarObject({ calendar: olgaCalendar, filename: 'across.ics', iCalString: invitation })).status).toBe(201);

    // At once, through the other edge: his calendar and his inbox show it.
    const [copy] = await bertOnB.fetchCalendarObjects({ calendar: bertCalendar });
    expect(String(copy?.data)).toContain('SUMMARY:Across edges');
    expect(partstatOf(String(copy.data), 'bert@example.org')).toBe('NEEDS-ACTION');
    const changes = await bertOnB.syncCollection({ url: bertCalendar.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: bertCalendar.syncToken });
    expect(changes.filter((r) => r.href).map((r) => r.href!.split('/').pop())).toEqual(['across-1.ics']);
    expect(await parseMultistatus((await inboxOnB()).text)).toHaveLength(2);

    // Bert accepts through B; Olga reads through A at once.
    expect((await bertOnB.updateCalendarObject({ calendarObject: { ...copy, data: withPartstat(String(copy.data), 'bert@example.org', 'ACCEPTED') } })).status).toBe(204);
    const [own] = await olgaOnA.fetchCalendarObjects({ calendar: olgaCalendar, objectUrls: [new URL('across.ics', olgaCalendar.url).href] });
    expect([partstatOf(String(own.data), 'bert@example.org'), scheduleStatusOf(String(own.data), 'bert@example.org')]).toEqual(['ACCEPTED', '2.0']);
  });
});
