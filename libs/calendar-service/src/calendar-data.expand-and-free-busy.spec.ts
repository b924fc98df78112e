import { CalendarFoldersCreate, CalendarFreeBusy, CalendarObjectsGet, CalendarObjectsPut, CalendarObjectsQuery, type CompFilter } from '@davmesh/contracts';
import { parseVcalendar } from '@davmesh/ical';
import { startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';
import { EUROPE_BERLIN, vcalendar, vevent } from '@davmesh/testing';
import { CalendarServiceModule } from './calendar-service.module';

const USER = 5;
const ALL_EVENTS: CompFilter = { name: 'VCALENDAR', compFilters: [{ name: 'VEVENT' }] };

describe('calendar-data expand, limit-recurrence-set and free-busy', () => {
  let harness: ServiceHarness;
  let folderId: number;

  beforeAll(async () => {
    harness = await startServiceHarness('calendar', (storage) => CalendarServiceModule.register(storage));
    folderId = (await harness.bus.call(CalendarFoldersCreate, { userId: USER, collectionName: 'data', components: ['VEVENT'] })).folderId;
    const put = (name: string, ical: string) => harness.bus.call(CalendarObjectsPut, { userId: USER, folderId, name, ical });
    await put('daily.ics', vcalendar(
      ...EUROPE_BERLIN,
      ...vevent('daily', 'DTSTART;TZID=Europe/Berlin:20260327T100000', 'DTEND;TZID=Europe/Berlin:20260327T110000', 'RRULE:FREQ=DAILY;COUNT=5', 'SUMMARY:standup'),
      ...vevent('daily', 'RECURRENCE-ID;TZID=Europe/Berlin:20260330T100000', 'DTSTART;TZID=Europe/Berlin:20260330T140000', 'DTEND;TZID=Europe/Berlin:20260330T150000', 'SUMMARY:standup moved'),
      ...vevent('daily', 'RECURRENCE-ID;TZID=Europe/Berlin:20260327T100000', 'DTSTART;TZID=Europe/Berlin:20260327T090000', 'DTEND;TZID=Europe/Berlin:20260327T100000', 'SUMMARY:early'),
    ));
    await put('tentative.ics', vcalendar(...vevent('t', 'DTSTART:20260328T120000Z', 'DTEND:20260328T130000Z', 'STATUS:TENTATIVE')));
    await put('free.ics', vcalendar(...vevent('f', 'DTSTART:20260328T150000Z', 'DTEND:20260328T160000Z', 'TRANSP:TRANSPARENT')));
    await put('overlap.ics', vcalendar(...vevent('o', 'DTSTART:20260328T083000Z', 'DTEND:20260328T093000Z')));
  });

  afterAll(() => harness.close());

  it('expands a series into its instances in UTC with RECURRENCE-IDs and no rules, across the DST change', async () => {
    const { objects } = await harness.bus.call(CalendarObjectsQuery, {
      userId: USER, folderId, filter: ALL_EVENTS, limit: 10, expand: { start: '2026-03-28T00:00:00Z', end: '2026-03-31T00:00:00Z' },
    });
    const daily = objects.find((o) => o.name === 'daily.ics')!;
    const root = parseVcalendar(daily.ical);
    expect(root.getAllSubcomponents('vtimezone')).toHaveLength(0);
    // Its times are UTC, so no TZID may stay behind (it would name a zone the data no longer defines).
    expect(daily.ical).not.toContain('TZID');
    const instances = root.getAllSubcomponents('vevent').map((e) => ({
      start: String(e.getFirstPropertyValue('dtstart')),
      recurrenceId: String(e.getFirstPropertyValue('recurrence-id')),
      rrule: e.hasProperty('rrule'),
    }));
    expect(instances).toEqual([
      { start: '2026-03-28T09:00:00Z', recurrenceId: '2026-03-28T09:00:00Z', rrule: false },
      { start: '2026-03-29T08:00:00Z', recurrenceId: '2026-03-29T08:00:00Z', rrule: false },
      { start: '2026-03-30T12:00:00Z', recurrenceId: '2026-03-30T08:00:00Z', rrule: false },
    ]);
  });

  it('limits the recurrence set to overrides in range, keeping the master', async () => {
    const { objects } = await harness.bus.call(CalendarObjectsQuery, {
      userId: USER, folderId, filter: ALL_EVENTS, limit: 10, limitRecurrenceSet: { start: '2026-03-29T00:00:00Z', end: '2026-04-01T00:00:00Z' },
    });
    const root = parseVcalendar(objects.find((o) => o.name === 'daily.ics')!.ical);
    expect(root.getAllSubcomponents('vevent').map((e) => String(e.getFirstPropertyValue('summary')))).toEqual(['standup', 'standup moved']);
  });

  it('selects comps and props after expanding, and keeps the stored ETag for the partial data', async () => {
    const select = { name: 'VCALENDAR', comps: [{ name: 'VEVENT', props: [{ name: 'RECURRENCE-ID' }, { name: 'SUMMARY', novalue: true }] }] };
    const { objects } = await harness.bus.call(CalendarObjectsQuery, {
      userId: USER, folderId, filter: ALL_EVENTS, limit: 10, expand: { start: '2026-03-30T00:00:00Z', end: '2026-03-31T00:00:00Z' }, select,
    });
    const daily = objects.find((o) => o.name === 'daily.ics')!;
    expect(daily.ical).toBe('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:\r\nRECURRENCE-ID:20260330T080000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n');
    const [stored] = (await harness.bus.call(CalendarObjectsGet, { userId: USER, folderId, names: ['daily.ics'] })).objects;
    const [partial] = (await harness.bus.call(CalendarObjectsGet, { userId: USER, folderId, names: ['daily.ics'], select })).objects;
    expect(partial.ical).not.toContain('DTSTART');
    expect(partial.etag).toBe(stored.etag);
    expect(daily.etag).toBe(stored.etag);
  });

  it('answers free-busy with merged busy time, tentative apart, transparent events left out', async () => {
    const { busy } = await harness.bus.call(CalendarFreeBusy, { userId: USER, folderId, start: '2026-03-28T00:00:00Z', end: '2026-03-29T00:00:00Z' });
    expect(busy).toEqual([
      { start: '2026-03-28T08:30:00.000Z', end: '2026-03-28T10:00:00.000Z', type: 'BUSY' },
      { start: '2026-03-28T12:00:00.000Z', end: '2026-03-28T13:00:00.000Z', type: 'BUSY-TENTATIVE' },
    ]);
  });
});
