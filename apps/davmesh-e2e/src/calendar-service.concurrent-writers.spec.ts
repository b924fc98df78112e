import { createBusClient, type BusClient } from '@davmesh/bus';
import { CalendarFoldersList, CalendarObjectsDelete, CalendarObjectsGet, CalendarObjectsPut, CalendarSyncChanges } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { createTestDatabase, describeWithInfrastructure, randomSubjectPrefix, TEST_NATS_URL, type TestDatabase } from '@davmesh/testing';

const event = (uid: string, day: number) =>
  [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z',
    `DTSTART:202604${String(day).padStart(2, '0')}T090000Z`, 'DURATION:PT1H', 'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');

describeWithInfrastructure('calendar writers on two replicas over PostgreSQL', () => {
  const prefix = randomSubjectPrefix();
  let database: TestDatabase;
  const nodes: RunningNode[] = [];
  let bus: BusClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { NATS_URL: TEST_NATS_URL, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, PORT: '0' };
    for (let i = 0; i < 2; i++) nodes.push(await startNode(loadSettings(env, 'calendar'), createLogger({ level: 'silent' })));
    bus = await createBusClient({ kind: 'nats', servers: TEST_NATS_URL, prefix }, 'test');
  }, 60_000);

  afterAll(async () => {
    await bus?.close();
    for (const node of nodes) await node.close();
    await database?.drop();
  });

  it('lets exactly one of concurrent If-Match PUTs on one resource win; the others get precondition-failed', async () => {
    const [calendar] = await bus.call(CalendarFoldersList, { userId: 1 });
    const base = await bus.call(CalendarObjectsPut, { userId: 1, folderId: calendar.folderId, name: 'r.ics', ical: event('r', 1) });
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        bus.request(CalendarObjectsPut, { userId: 1, folderId: calendar.folderId, name: 'r.ics', ical: event('r', i + 2), precondition: { ifMatch: [base.etag] } }),
      ),
    );
    expect(attempts.filter((a) => a.ok)).toHaveLength(1);
    expect(attempts.filter((a) => !a.ok && a.error.code === 'precondition-failed')).toHaveLength(7);
  });

  it('creates a name once when several PUTs with If-None-Match: * race for it; the others get precondition-failed', async () => {
    const [calendar] = await bus.call(CalendarFoldersList, { userId: 3 });
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        bus.request(CalendarObjectsPut, { userId: 3, folderId: calendar.folderId, name: 'new.ics', ical: event('new', i + 1), precondition: { ifNoneMatch: '*' } }),
      ),
    );
    const won = attempts.flatMap((a, i) => (a.ok ? [{ i, etag: a.data.etag, created: a.data.created }] : []));
    expect(won).toEqual([{ i: expect.any(Number), etag: expect.any(String), created: true }]);
    expect(attempts.filter((a) => !a.ok && a.error.code === 'precondition-failed')).toHaveLength(7);
    const stored = await bus.call(CalendarObjectsGet, { userId: 3, folderId: calendar.folderId, names: ['new.ics'] });
    expect(stored.objects.map((o) => o.etag)).toEqual([won[0].etag]);
  });

  it('stores one UID under one name when PUTs of several names race with it; the others get no-uid-conflict', async () => {
    const [calendar] = await bus.call(CalendarFoldersList, { userId: 4 });
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => bus.request(CalendarObjectsPut, { userId: 4, folderId: calendar.folderId, name: `same-${i}.ics`, ical: event('same', i + 1) })),
    );
    const won = attempts.flatMap((a, i) => (a.ok ? [`same-${i}.ics`] : []));
    expect(won).toHaveLength(1);
    const refused = attempts.filter((a) => !a.ok && a.error.code === 'conflict' && a.error.details?.condition === 'no-uid-conflict');
    expect(refused).toHaveLength(7);
    const all = await bus.call(CalendarSyncChanges, { userId: 4, folderId: calendar.folderId, limit: 100 });
    expect(all.changed.map((c) => c.name)).toEqual(won);
  });

  it('never keeps an object a DELETE removed when a PUT with If-Match on it races the DELETE', async () => {
    const [calendar] = await bus.call(CalendarFoldersList, { userId: 5 });
    const folderId = calendar.folderId;
    for (let round = 0; round < 12; round++) {
      const name = `raced-${round}.ics`;
      const base = await bus.call(CalendarObjectsPut, { userId: 5, folderId, name, ical: event(`raced-${round}`, 1) });
      const [put, removed] = await Promise.all([
        bus.request(CalendarObjectsPut, { userId: 5, folderId, name, ical: event(`raced-${round}`, 2), precondition: { ifMatch: [base.etag] } }),
        bus.request(CalendarObjectsDelete, { userId: 5, folderId, name }),
      ]);
      expect(removed.ok).toBe(true);
      expect(put.ok || put.error.code === 'precondition-failed').toBe(true);
      const left = await bus.call(CalendarObjectsGet, { userId: 5, folderId, names: [name] });
      expect(left.missing).toEqual([name]);
    }
  });

  it('gives a syncing client exactly the server state while writers on both replicas write', async () => {
    const [calendar] = await bus.call(CalendarFoldersList, { userId: 2 });
    const client = new Map<string, string>();
    let token: number | undefined;
    const syncOnce = async () => {
      for (;;) {
        const changes = await bus.call(CalendarSyncChanges, { userId: 2, folderId: calendar.folderId, sinceRevision: token, limit: 7 });
        for (const changed of changes.changed) client.set(changed.name, changed.etag);
        for (const removed of changes.removed) client.delete(removed);
        token = changes.revision;
        if (!changes.truncated) return;
      }
    };
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 15; i++) {
        await bus.call(CalendarObjectsPut, { userId: 2, folderId: calendar.folderId, name: `w${w}-${i % 5}.ics`, ical: event(`w${w}-${i % 5}`, (i % 27) + 1) });
        if (i % 4 === 0) await syncOnce();
      }
    });
    await Promise.all(writers);
    await syncOnce();
    const server = new Map<string, string>();
    const all = await bus.call(CalendarSyncChanges, { userId: 2, folderId: calendar.folderId, limit: 1000 });
    for (const changed of all.changed) server.set(changed.name, changed.etag);
    expect(client).toEqual(server);
    expect(server.size).toBe(20);
  });
});
