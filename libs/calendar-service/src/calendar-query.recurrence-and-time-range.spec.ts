import { CalendarFoldersCreate, CalendarObjectsPut, CalendarObjectsQuery, type CompFilter } from '@davmesh/contracts';
import { startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';
import { EUROPE_BERLIN, vcalendar, vevent, vtodo } from '@davmesh/testing';
import { CalendarServiceModule } from './calendar-service.module';

const USER = 3;

const inRange = (component: string, start: string, end: string): CompFilter => ({
  name: 'VCALENDAR',
  compFilters: [{ name: component, timeRange: { start, end } }],
});

describe('calendar-query: time ranges over recurrence, overrides, all-day, zero-length, DST and tasks', () => {
  let harness: ServiceHarness;
  let events: number;
  let tasks: number;

  const query = async (folderId: number, filter: CompFilter) =>
    (await harness.bus.call(CalendarObjectsQuery, { userId: USER, folderId, filter, limit: 200 })).objects.map((o) => o.name).sort();

  beforeAll(async () => {
    harness = await startServiceHarness('calendar', (storage) => CalendarServiceModule.register(storage));
    events = (await harness.bus.call(CalendarFoldersCreate, { userId: USER, collectionName: 'events', components: ['VEVENT'] })).folderId;
    tasks = (await harness.bus.call(CalendarFoldersCreate, { userId: USER, collectionName: 'tasks', components: ['VTODO'] })).folderId;
    const put = (folderId: number, name: string, ical: string) => harness.bus.call(CalendarObjectsPut, { userId: USER, folderId, name, ical });
    await put(events, 'weekly.ics', vcalendar(
      ...EUROPE_BERLIN,
      ...vevent('weekly', 'DTSTART;TZID=Europe/Berlin:20260302T100000', 'DTEND;TZID=Europe/Berlin:20260302T110000', 'RRULE:FREQ=WEEKLY;COUNT=6', 'EXDATE;TZID=Europe/Berlin:20260309T100000'),
      ...vevent('weekly', 'RECURRENCE-ID;TZID=Europe/Berlin:20260316T100000', 'DTSTART;TZID=Europe/Berlin:20260420T100000', 'DTEND;TZID=Europe/Berlin:20260420T110000', 'SUMMARY:moved'),
    ));
    await put(events, 'allday.ics', vcalendar(...vevent('allday', 'DTSTART;VALUE=DATE:20260601', 'DTEND;VALUE=DATE:20260602')));
    await put(events, 'meeting.ics', vcalendar(...vevent('meeting', 'DTSTART:20260901T090000Z', 'DTEND:20260901T100000Z')));
    await put(events, 'instant.ics', vcalendar(...vevent('instant', 'DTSTART:20260701T120000Z')));
    await put(events, 'forever.ics', vcalendar(...vevent('forever', 'DTSTART:20200106T080000Z', 'DURATION:PT1H', 'RRULE:FREQ=YEARLY')));
    await put(events, 'none-left.ics', vcalendar(...vevent('none', 'DTSTART:20260801T080000Z', 'RRULE:FREQ=DAILY;COUNT=1', 'EXDATE:20260801T080000Z')));
    await put(tasks, 'open.ics', vcalendar(...vtodo('open', 'SUMMARY:someday')));
    await put(tasks, 'due.ics', vcalendar(...vtodo('due', 'DUE:20260315T120000Z', 'STATUS:NEEDS-ACTION')));
    await put(tasks, 'cancelled.ics', vcalendar(...vtodo('cancelled', 'DUE:20260501T120000Z', 'STATUS:CANCELLED')));
    await put(tasks, 'done.ics', vcalendar(...vtodo('done', 'DUE:20260310T120000Z', 'COMPLETED:20260309T120000Z', 'STATUS:COMPLETED')));
  });

  afterAll(() => harness.close());

  it('finds a recurring series only through an instance that is really there', async () => {
    // 9 March is excluded, 16 March moved to 20 April.
    expect(await query(events, inRange('VEVENT', '2026-03-09T00:00:00Z', '2026-03-10T00:00:00Z'))).toEqual([]);
    expect(await query(events, inRange('VEVENT', '2026-03-16T00:00:00Z', '2026-03-17T00:00:00Z'))).toEqual([]);
    expect(await query(events, inRange('VEVENT', '2026-04-20T00:00:00Z', '2026-04-21T00:00:00Z'))).toEqual(['weekly.ics']);
    expect(await query(events, inRange('VEVENT', '2026-03-23T00:00:00Z', '2026-03-24T00:00:00Z'))).toEqual(['weekly.ics']);
  });

  it('keeps wall-clock times across the DST change: 10:00 in Berlin is 08:00 UTC in summer', async () => {
    // 6 April 2026 (summer time): the instance runs 08:00-09:00 UTC.
    expect(await query(events, inRange('VEVENT', '2026-04-06T08:30:00Z', '2026-04-06T08:45:00Z'))).toEqual(['weekly.ics']);
    expect(await query(events, inRange('VEVENT', '2026-04-06T09:00:00Z', '2026-04-06T10:00:00Z'))).toEqual([]);
  });

  it('treats all-day events as whole days and a zero-length event as the instant it starts', async () => {
    expect(await query(events, inRange('VEVENT', '2026-06-01T10:00:00Z', '2026-06-01T11:00:00Z'))).toEqual(['allday.ics']);
    expect(await query(events, inRange('VEVENT', '2026-06-02T00:00:00Z', '2026-06-03T00:00:00Z'))).toEqual([]);
    expect(await query(events, inRange('VEVENT', '2026-07-01T12:00:00Z', '2026-07-01T12:30:00Z'))).toEqual(['instant.ics']);
    expect(await query(events, inRange('VEVENT', '2026-07-01T11:00:00Z', '2026-07-01T12:00:00Z'))).toEqual([]);
  });

  it('places single timed events by their index span exactly as the full evaluation would (RFC 4791 9.9 edges)', async () => {
    expect(await query(events, inRange('VEVENT', '2026-09-01T10:00:00Z', '2026-09-01T11:00:00Z'))).toEqual([]);
    expect(await query(events, inRange('VEVENT', '2026-09-01T08:00:00Z', '2026-09-01T09:00:00Z'))).toEqual([]);
    expect(await query(events, inRange('VEVENT', '2026-09-01T09:59:00Z', '2026-09-01T10:00:00Z'))).toEqual(['meeting.ics']);
  });

  it('finds an unbounded series far in the future and never one whose every instance is excluded', async () => {
    expect(await query(events, inRange('VEVENT', '2031-01-06T08:00:00Z', '2031-01-06T09:00:00Z'))).toEqual(['forever.ics']);
    expect(await query(events, inRange('VEVENT', '2026-08-01T00:00:00Z', '2026-08-02T00:00:00Z'))).toEqual([]);
  });

  it('applies the RFC 4791 9.9 rules to tasks', async () => {
    expect(await query(tasks, inRange('VTODO', '2026-03-15T00:00:00Z', '2026-03-16T00:00:00Z'))).toEqual(['due.ics', 'open.ics']);
    // Without DTSTART a task sits at its DUE; COMPLETED counts only when there is no DUE.
    expect(await query(tasks, inRange('VTODO', '2026-03-10T00:00:00Z', '2026-03-10T23:00:00Z'))).toEqual(['done.ics', 'open.ics']);
    expect(await query(tasks, inRange('VTODO', '2026-03-09T00:00:00Z', '2026-03-09T23:00:00Z'))).toEqual(['open.ics']);
  });

  it('finds uncompleted, not cancelled tasks with is-not-defined and a negated text-match (RFC 4791 7.8.9)', async () => {
    const filter: CompFilter = {
      name: 'VCALENDAR',
      compFilters: [{ name: 'VTODO', propFilters: [{ name: 'COMPLETED', isNotDefined: true }, { name: 'STATUS', textMatch: { value: 'CANCELLED', collation: 'i;ascii-casemap', negate: true, matchType: 'contains' } }] }],
    };
    // A task without STATUS fails the STATUS prop-filter: a prop-filter needs the property unless it says is-not-defined.
    expect(await query(tasks, filter)).toEqual(['due.ics']);
  });

  it('pages a large answer with a cursor', async () => {
    const filter: CompFilter = { name: 'VCALENDAR', compFilters: [{ name: 'VEVENT' }] };
    const first = await harness.bus.call(CalendarObjectsQuery, { userId: USER, folderId: events, filter, limit: 2 });
    const second = await harness.bus.call(CalendarObjectsQuery, { userId: USER, folderId: events, filter, limit: 2, after: first.nextCursor });
    const third = await harness.bus.call(CalendarObjectsQuery, { userId: USER, folderId: events, filter, limit: 2, after: second.nextCursor });
    const fourth = await harness.bus.call(CalendarObjectsQuery, { userId: USER, folderId: events, filter, limit: 2, after: third.nextCursor });
    const all = [...first.objects, ...second.objects, ...third.objects, ...fourth.objects].map((o) => o.name);
    expect(new Set(all)).toEqual(new Set(['allday.ics', 'forever.ics', 'instant.ics', 'meeting.ics', 'none-left.ics', 'weekly.ics']));
  });
});
