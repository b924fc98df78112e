import { encodedBytes, ReplyBudget } from '@davmesh/bus';
import { CalendarFoldersList, CalendarObjectsGet, CalendarObjectsPut, CalendarObjectsQuery, type CalendarFolder, type CompFilter } from '@davmesh/contracts';
import { startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';
import { largeEventIcs, largeSeriesIcs } from '@davmesh/testing';
import { CalendarServiceModule } from './calendar-service.module';
import { ObjectRepository } from './objects/object.repository';

const USER = 7;
const OBJECT_BYTES = 95 * 1024;

const ALL_EVENTS: CompFilter = { name: 'VCALENDAR', compFilters: [{ name: 'VEVENT' }] };

describe('calendar service: replies carry what one bus message holds, and page on', () => {
  let harness: ServiceHarness;
  let calendar: CalendarFolder;
  const names = Array.from({ length: 12 }, (_, i) => `big-${String(i).padStart(2, '0')}.ics`);
  /** The page is full: its objects fit one reply (beside what it reserved), one more would not. */
  const expectFull = (page: { name: string }[], next: { name: string }, reserved: unknown = []) => {
    const budget = ReplyBudget.forMaxPayload(harness.bus.maxPayload()).bytes - encodedBytes(reserved);
    const bytes = page.reduce((sum, o) => sum + encodedBytes(o) + 1, 0);
    expect(page.length).toBeGreaterThan(1);
    expect(bytes).toBeLessThanOrEqual(budget);
    expect(bytes + encodedBytes(next)).toBeGreaterThan(budget);
  };

  beforeAll(async () => {
    harness = await startServiceHarness('calendar', (storage) => CalendarServiceModule.register(storage));
    calendar = (await harness.bus.call(CalendarFoldersList, { userId: USER })).find((f) => f.components.includes('VEVENT'))!;
    for (const name of names) await harness.bus.call(CalendarObjectsPut, { userId: USER, folderId: calendar.folderId, name, ical: largeEventIcs(name, OBJECT_BYTES) });
  }, 60_000);

  afterAll(() => harness.close());

  it('answers a multiget of twelve 95 KB objects in the order asked, as many as fit, and the rest as unsent', async () => {
    const asked = [...names.slice(0, 6), 'none.ics', ...names.slice(6)];
    const first = await harness.bus.call(CalendarObjectsGet, { userId: USER, folderId: calendar.folderId, names: asked });
    expect(first.objects.map((o) => o.name)).toEqual(names.slice(0, first.objects.length));
    expect(first.missing).toEqual(['none.ics']);
    expect(first.unsent).toEqual(names.slice(first.objects.length));
    const rest = await harness.bus.call(CalendarObjectsGet, { userId: USER, folderId: calendar.folderId, names: first.unsent! });
    expect(rest.objects.map((o) => o.name)).toEqual(first.unsent);
    expectFull(first.objects, rest.objects[0], asked);
    expect(rest.unsent).toBeUndefined();
    expect(rest.objects.every((o) => o.ical === largeEventIcs(o.name, OBJECT_BYTES))).toBe(true);
  });

  it('reads the bodies of a multiget only while the ones asked before them could still fit the reply', async () => {
    const objects = harness.app.get(ObjectRepository, { strict: false });
    const asked = ['none.ics', ...[...names].reverse()];
    const readBytes = 3 * OBJECT_BYTES;
    const read = new Map((await objects.getManyReadable(calendar.folderId, USER, asked, readBytes))!.map((o) => [o.name, o]));
    let before = 0;
    const expected: [string, boolean][] = [];
    for (const name of asked.filter((n) => read.has(n))) {
      expected.push([name, before < readBytes]);
      before += read.get(name)!.size;
    }
    expect([...read.values()].map((o) => [o.name, o.ical !== undefined]).sort()).toEqual(expected.sort());
    expect(expected.filter(([, body]) => body).length).toBeGreaterThanOrEqual(3);
    expect(expected.filter(([, body]) => !body).length).toBeGreaterThanOrEqual(8);
    expect(read.get(asked[1])!.ical).toBe(largeEventIcs(asked[1], OBJECT_BYTES));
  });

  it('ends a query page at the first match that does not fit, and the next page starts with it', async () => {
    const query = { userId: USER, folderId: calendar.folderId, filter: ALL_EVENTS, limit: 200 };
    const first = await harness.bus.call(CalendarObjectsQuery, query);
    const second = await harness.bus.call(CalendarObjectsQuery, { ...query, after: first.nextCursor });
    expect([...first.objects, ...second.objects].map((o) => o.name)).toEqual(names);
    expectFull(first.objects, second.objects[0]);
    expect(second.nextCursor).toBeUndefined();
  });

  it('refuses an object too big for a reply alone (a long series expanded) as too-large, and serves on', async () => {
    const series = largeSeriesIcs('series.ics', 2000, 700);
    await harness.bus.call(CalendarObjectsPut, { userId: USER, folderId: calendar.folderId, name: 'series.ics', ical: series });
    const expanded = await harness.bus.request(CalendarObjectsGet, {
      userId: USER,
      folderId: calendar.folderId,
      names: ['series.ics'],
      expand: { start: new Date().toISOString().replace(/\.\d+/, ''), end: new Date(Date.now() + 3650 * 86_400_000).toISOString().replace(/\.\d+/, '') },
    }, { timeoutMs: 20_000 });
    expect(!expanded.ok && expanded.error.code).toBe('too-large');
    const plain = await harness.bus.call(CalendarObjectsGet, { userId: USER, folderId: calendar.folderId, names: ['series.ics'] });
    expect(plain.objects.map((o) => o.name)).toEqual(['series.ics']);
  });
});
