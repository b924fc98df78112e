import {
  CalendarFolderChanged,
  CalendarFoldersCreate,
  CalendarFoldersList,
  CalendarFoldersUpdate,
  CalendarObjectsDelete,
  CalendarObjectsGet,
  CalendarObjectsList,
  CalendarObjectsMove,
  CalendarObjectsPut,
  CalendarSyncChanges,
  type CalendarFolder,
} from '@davmesh/contracts';
import { refusalOf as condition, startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';
import { CalendarServiceModule } from './calendar-service.module';

const USER = 7;
const OTHER = 8;

function ics(uid: string, body: string[], component = 'VEVENT'): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//test//EN', `BEGIN:${component}`, `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...body, `END:${component}`, 'END:VCALENDAR', ''].join('\r\n');
}

const event = (uid: string, start = '20260310T090000Z', end = '20260310T100000Z', ...extra: string[]) =>
  ics(uid, [`DTSTART:${start}`, `DTEND:${end}`, ...extra]);

describe('calendar service: folders, objects, conditions and sync', () => {
  let harness: ServiceHarness;
  let calendar: CalendarFolder;
  let tasks: CalendarFolder;

  const put = (name: string, ical: string, extra: { ifMatch?: string; ifNoneMatch?: boolean; folderId?: number; userId?: number } = {}) =>
    harness.bus.request(CalendarObjectsPut, {
      userId: extra.userId ?? USER,
      folderId: extra.folderId ?? calendar.folderId,
      name,
      ical,
      precondition: { ...(extra.ifMatch !== undefined && { ifMatch: [extra.ifMatch] }), ...(extra.ifNoneMatch && { ifNoneMatch: '*' as const }) },
    });
  const names = async (folderId: number, window?: { start: string; end: string }) =>
    (await harness.bus.call(CalendarObjectsList, { userId: USER, folderId, limit: 1000, window })).objects.map((o) => o.name);
  const revisionOf = async (folderId: number) =>
    (await harness.bus.call(CalendarFoldersList, { userId: USER })).find((f) => f.folderId === folderId)!.revision;

  beforeAll(async () => {
    harness = await startServiceHarness('calendar', (storage) => CalendarServiceModule.register(storage));
    const folders = await harness.bus.call(CalendarFoldersList, { userId: USER });
    calendar = folders.find((f) => f.components.includes('VEVENT'))!;
    tasks = folders.find((f) => f.components.includes('VTODO'))!;
  });

  afterAll(() => harness.close());

  it('gives every user a default calendar and a default tasks folder, once', async () => {
    expect(calendar).toMatchObject({ displayName: 'Calendar', components: ['VEVENT'], collectionName: String(calendar.folderId) });
    expect(tasks).toMatchObject({ displayName: 'Tasks', components: ['VTODO'] });
    const again = await harness.bus.call(CalendarFoldersList, { userId: USER });
    expect(again.map((f) => f.folderId)).toEqual([calendar.folderId, tasks.folderId]);
  });

  it('stores a PUT byte for byte under the client\'s name with a stable strong ETag, and announces it', async () => {
    const body = event('stable-uid');
    const first = await harness.bus.call(CalendarObjectsPut, { userId: USER, folderId: calendar.folderId, name: 'Stable Name.ics', ical: body });
    expect(first.created).toBe(true);
    const second = await harness.bus.call(CalendarObjectsPut, { userId: USER, folderId: calendar.folderId, name: 'Stable Name.ics', ical: body });
    expect(second).toMatchObject({ etag: first.etag, created: false });
    const { objects } = await harness.bus.call(CalendarObjectsGet, { userId: USER, folderId: calendar.folderId, names: ['Stable Name.ics'] });
    expect(objects[0].ical).toBe(body);
    expect(objects[0].etag).toBe(first.etag);
    expect(harness.events(CalendarFolderChanged.subject)).toBeDefined();
  });

  it('decides If-Match and If-None-Match inside the write', async () => {
    const created = await put('cond.ics', event('cond'), { ifNoneMatch: true });
    expect(created.ok).toBe(true);
    expect(condition(await put('cond.ics', event('cond'), { ifNoneMatch: true }))).toBe('precondition-failed');
    expect(condition(await put('cond.ics', event('cond', '20260311T090000Z', '20260311T100000Z'), { ifMatch: 'stale' }))).toBe('precondition-failed');
    const etag = created.ok ? created.data.etag : '';
    expect((await put('cond.ics', event('cond', '20260311T090000Z', '20260311T100000Z'), { ifMatch: etag })).ok).toBe(true);
    expect(condition(await harness.bus.request(CalendarObjectsDelete, { userId: USER, folderId: calendar.folderId, name: 'cond.ics', precondition: { ifMatch: [etag] } }))).toBe('precondition-failed');
  });

  it('lets exactly one of several concurrent If-Match writers win', async () => {
    const base = await put('race.ics', event('race'));
    const etag = base.ok ? base.data.etag : '';
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => put('race.ics', event('race', `202603${11 + i}T090000Z`, `202603${11 + i}T100000Z`), { ifMatch: etag })),
    );
    expect(attempts.filter((r) => r.ok)).toHaveLength(1);
    expect(attempts.filter((r) => condition(r) === 'precondition-failed')).toHaveLength(5);
  });

  it('refuses bad objects with the RFC 4791 condition and stores nothing', async () => {
    const before = await names(calendar.folderId);
    const revision = await revisionOf(calendar.folderId);
    expect(condition(await put('bad.ics', 'BEGIN:VCALENDAR\r\nnonsense'))).toBe('valid-calendar-data');
    expect(condition(await put('bad.ics', event('m', undefined, undefined).replace('VERSION:2.0', 'VERSION:2.0\r\nMETHOD:REQUEST')))).toBe('valid-calendar-object-resource');
    expect(condition(await put('bad.ics', ics('t', ['SUMMARY:task'], 'VTODO')))).toBe('supported-calendar-component');
    expect(condition(await put('bad.ics', event('x', undefined, undefined, `DESCRIPTION:${'x'.repeat(1024 * 1024)}`)))).toBe('max-resource-size');
    expect(condition(await put('bad.ics', event('early', '18991231T090000Z', '18991231T100000Z')))).toBe('min-date-time');
    expect(condition(await put('bad.ics', event('late', '21000101T090000Z', '21000101T100000Z')))).toBe('max-date-time');
    const conflict = await put('other-name.ics', event('stable-uid'));
    expect(condition(conflict)).toBe('no-uid-conflict');
    expect(!conflict.ok && conflict.error.details).toMatchObject({ folderId: calendar.folderId, name: 'Stable Name.ics' });
    expect(await names(calendar.folderId)).toEqual(before);
    expect(await revisionOf(calendar.folderId)).toBe(revision);
  });

  it('keeps tasks in the tasks folder', async () => {
    expect((await put('todo.ics', ics('todo-1', ['SUMMARY:buy milk'], 'VTODO'), { folderId: tasks.folderId })).ok).toBe(true);
  });

  it('lists only objects with an occurrence in the window, keeping open series and dropping fully excluded ones', async () => {
    const folder = await harness.bus.call(CalendarFoldersCreate, { userId: USER, collectionName: 'window-test', components: ['VEVENT'] });
    const at = (name: string, ical: string) => put(name, ical, { folderId: folder.folderId });
    await at('old.ics', event('old', '20200101T090000Z', '20200101T100000Z'));
    await at('inside.ics', event('inside', '20260315T090000Z', '20260315T100000Z'));
    await at('weekly-forever.ics', event('weekly', '20190101T090000Z', '20190101T100000Z', 'RRULE:FREQ=WEEKLY'));
    await at('ended-series.ics', event('ended', '20190101T090000Z', '20190101T100000Z', 'RRULE:FREQ=DAILY;COUNT=3'));
    await at('all-excluded.ics', event('excluded', '20260315T090000Z', '20260315T100000Z', 'RRULE:FREQ=DAILY;COUNT=1', 'EXDATE:20260315T090000Z'));
    const window = { start: '2026-02-01T00:00:00.000Z', end: '2027-03-01T00:00:00.000Z' };
    expect(await names(folder.folderId, window)).toEqual(['inside.ics', 'weekly-forever.ics']);
    expect(await names(folder.folderId)).toHaveLength(5);
  });

  it('syncs incrementally: exactly the changes since the token, deletions included, paged without splitting a revision', async () => {
    const folder = await harness.bus.call(CalendarFoldersCreate, { userId: USER, collectionName: 'sync-test', components: ['VEVENT'] });
    const sync = (sinceRevision: number | undefined, limit = 100) =>
      harness.bus.call(CalendarSyncChanges, { userId: USER, folderId: folder.folderId, sinceRevision, limit });
    for (const n of [1, 2, 3]) await put(`e${n}.ics`, event(`sync-${n}`), { folderId: folder.folderId });
    const initial = await sync(undefined);
    expect(initial.changed.map((c) => c.name).sort()).toEqual(['e1.ics', 'e2.ics', 'e3.ics']);
    expect(initial).toMatchObject({ removed: [], truncated: false });

    await put('e2.ics', event('sync-2', '20260401T090000Z', '20260401T100000Z'), { folderId: folder.folderId });
    await harness.bus.call(CalendarObjectsDelete, { userId: USER, folderId: folder.folderId, name: 'e3.ics' });
    await put('e4.ics', event('sync-4'), { folderId: folder.folderId });
    const incremental = await sync(initial.revision);
    expect(incremental.changed.map((c) => c.name)).toEqual(['e2.ics', 'e4.ics']);
    expect(incremental.removed).toEqual(['e3.ics']);

    const firstPage = await sync(initial.revision, 2);
    expect(firstPage.truncated).toBe(true);
    const secondPage = await sync(firstPage.revision, 2);
    expect([...firstPage.changed.map((c) => c.name), ...firstPage.removed, ...secondPage.changed.map((c) => c.name), ...secondPage.removed].sort()).toEqual(
      ['e2.ics', 'e3.ics', 'e4.ics'],
    );
    expect(secondPage.truncated).toBe(false);
    expect((await sync(incremental.revision)).changed).toEqual([]);

    const bad = await harness.bus.request(CalendarSyncChanges, { userId: USER, folderId: folder.folderId, sinceRevision: 10_000, limit: 10 });
    expect(condition(bad)).toBe('valid-sync-token');
  });

  it('syncs only the window: an event moved out of it is reported removed, one moved in is reported changed', async () => {
    const folder = await harness.bus.call(CalendarFoldersCreate, { userId: USER, collectionName: 'window-sync', components: ['VEVENT'] });
    const window = { start: '2026-02-01T00:00:00.000Z', end: '2027-03-01T00:00:00.000Z' };
    const sync = (sinceRevision?: number) => harness.bus.call(CalendarSyncChanges, { userId: USER, folderId: folder.folderId, sinceRevision, limit: 100, window });
    await put('in.ics', event('w-in'), { folderId: folder.folderId });
    await put('old.ics', event('w-old', '20200101T090000Z', '20200101T100000Z'), { folderId: folder.folderId });
    const initial = await sync();
    expect(initial.changed.map((c) => c.name)).toEqual(['in.ics']);
    expect(initial.removed).toEqual([]);
    await put('in.ics', event('w-in', '20200201T090000Z', '20200201T100000Z'), { folderId: folder.folderId });
    await put('old.ics', event('w-old', '20260401T090000Z', '20260401T100000Z'), { folderId: folder.folderId });
    const incremental = await sync(initial.revision);
    expect(incremental.changed.map((c) => c.name)).toEqual(['old.ics']);
    expect(incremental.removed).toEqual(['in.ics']);
  });

  it('moves an object between calendars, reporting it gone from one and new in the other', async () => {
    const source = await harness.bus.call(CalendarFoldersCreate, { userId: USER, collectionName: 'move-from', components: ['VEVENT'] });
    const target = await harness.bus.call(CalendarFoldersCreate, { userId: USER, collectionName: 'move-to', components: ['VEVENT'] });
    await put('m.ics', event('move-me'), { folderId: source.folderId });
    await put('taken.ics', event('taken'), { folderId: target.folderId });
    const sourceToken = (await harness.bus.call(CalendarSyncChanges, { userId: USER, folderId: source.folderId, limit: 10 })).revision;
    const blocked = await harness.bus.request(CalendarObjectsMove, {
      userId: USER, folderId: source.folderId, name: 'm.ics', toFolderId: target.folderId, toName: 'taken.ics', overwrite: false,
    });
    expect(condition(blocked)).toBe('precondition-failed');
    await harness.bus.call(CalendarObjectsMove, { userId: USER, folderId: source.folderId, name: 'm.ics', toFolderId: target.folderId, toName: 'm.ics', overwrite: false });
    expect(await names(source.folderId)).toEqual([]);
    expect(await names(target.folderId)).toEqual(['m.ics', 'taken.ics']);
    expect((await harness.bus.call(CalendarSyncChanges, { userId: USER, folderId: source.folderId, sinceRevision: sourceToken, limit: 10 })).removed).toEqual(['m.ics']);
  });

  it('updates folder properties and dead properties together', async () => {
    const updated = await harness.bus.call(CalendarFoldersUpdate, {
      userId: USER,
      folderId: calendar.folderId,
      props: { displayName: 'Work', color: '#FF0000FF', order: 3 },
      setDead: [{ ns: 'http://example.org/ns/', name: 'flag', xml: 'on' }],
    });
    expect(updated).toMatchObject({ displayName: 'Work', color: '#FF0000FF', order: 3, deadProperties: [{ ns: 'http://example.org/ns/', name: 'flag', xml: 'on' }] });
    expect(updated.revision).toBeGreaterThan(calendar.revision);
  });

  it("hides another user's folders", async () => {
    const reply = await put('x.ics', event('x'), { userId: OTHER });
    expect(!reply.ok && reply.error.code).toBe('not-found');
    const listed = await harness.bus.request(CalendarObjectsList, { userId: OTHER, folderId: calendar.folderId, limit: 10 });
    expect(!listed.ok && listed.error.code).toBe('not-found');
  });
});
