import { CalendarFoldersCreate, CalendarObjectsPut, CalendarObjectsQuery, type CompFilter, type CalendarTextMatch } from '@davmesh/contracts';
import { startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';
import { vcalendar, vevent } from '@davmesh/testing';
import { CalendarServiceModule } from './calendar-service.module';

const USER = 4;
const text = (value: string, collation: CalendarTextMatch['collation'], negate = false): CalendarTextMatch => ({ value, collation, negate, matchType: 'contains' });
const eventWith = (...propFilters: NonNullable<CompFilter['propFilters']>): CompFilter => ({ name: 'VCALENDAR', compFilters: [{ name: 'VEVENT', propFilters }] });

describe('calendar-query: text-match collations, param-filter and alarms', () => {
  let harness: ServiceHarness;
  let folderId: number;
  const query = async (filter: CompFilter) =>
    (await harness.bus.call(CalendarObjectsQuery, { userId: USER, folderId, filter, limit: 200 })).objects.map((o) => o.name).sort();

  beforeAll(async () => {
    harness = await startServiceHarness('calendar', (storage) => CalendarServiceModule.register(storage));
    folderId = (await harness.bus.call(CalendarFoldersCreate, { userId: USER, collectionName: 'filters', components: ['VEVENT'] })).folderId;
    const put = (name: string, ical: string) => harness.bus.call(CalendarObjectsPut, { userId: USER, folderId, name, ical });
    await put('review.ics', vcalendar(...vevent('r', 'DTSTART:20260310T090000Z', 'SUMMARY:Quarterly REVIEW', 'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:anna@example.org')));
    await put('strasse.ics', vcalendar(...vevent('s', 'DTSTART:20260311T090000Z', 'SUMMARY:Treffen Straße', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:bert@example.org')));
    await put('alarm.ics', vcalendar(...vevent('a', 'DTSTART:20260312T090000Z', 'DTEND:20260312T100000Z', 'SUMMARY:with alarm'), ).replace('END:VEVENT', 'BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:soon\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT'));
  });

  afterAll(() => harness.close());

  it('matches text by collation: ascii-casemap folds ASCII, octet does not, unicode-casemap folds beyond ASCII', async () => {
    expect(await query(eventWith({ name: 'SUMMARY', textMatch: text('review', 'i;ascii-casemap') }))).toEqual(['review.ics']);
    expect(await query(eventWith({ name: 'SUMMARY', textMatch: text('review', 'i;octet') }))).toEqual([]);
    expect(await query(eventWith({ name: 'SUMMARY', textMatch: text('REVIEW', 'i;octet') }))).toEqual(['review.ics']);
    expect(await query(eventWith({ name: 'SUMMARY', textMatch: text('STRASSE', 'i;ascii-casemap') }))).toEqual([]);
    expect(await query(eventWith({ name: 'SUMMARY', textMatch: text('TREFFEN STRAßE', 'i;unicode-casemap') }))).toEqual(['strasse.ics']);
  });

  it('negates a text-match', async () => {
    expect(await query(eventWith({ name: 'SUMMARY', textMatch: text('review', 'i;ascii-casemap', true) }))).toEqual(['alarm.ics', 'strasse.ics']);
  });

  it('matches attendees by a parameter (RFC 4791 7.8.6 style: PARTSTAT=NEEDS-ACTION)', async () => {
    const filter = eventWith({ name: 'ATTENDEE', paramFilters: [{ name: 'PARTSTAT', textMatch: text('NEEDS-ACTION', 'i;ascii-casemap') }] });
    expect(await query(filter)).toEqual(['review.ics']);
    expect(await query(eventWith({ name: 'ATTENDEE', paramFilters: [{ name: 'ROLE', isNotDefined: true }] }))).toEqual(['review.ics', 'strasse.ics']);
    expect(await query(eventWith({ name: 'ATTENDEE', isNotDefined: true }))).toEqual(['alarm.ics']);
  });

  it('finds an event by when its alarm goes off (RFC 4791 7.8.5)', async () => {
    const alarmAt = (start: string, end: string): CompFilter => ({
      name: 'VCALENDAR',
      compFilters: [{ name: 'VEVENT', compFilters: [{ name: 'VALARM', timeRange: { start, end } }] }],
    });
    expect(await query(alarmAt('2026-03-12T08:40:00Z', '2026-03-12T08:50:00Z'))).toEqual(['alarm.ics']);
    expect(await query(alarmAt('2026-03-12T08:50:00Z', '2026-03-12T09:30:00Z'))).toEqual([]);
  });
});
