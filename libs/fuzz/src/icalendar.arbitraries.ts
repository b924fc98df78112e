import fc from 'fast-check';
import { type FuzzCase } from './fuzz-case';
import { badDate, extremeNumber, hostileText, weirdTzid } from './hostile-values';
import { lineEnding, lineMutation, mutateLines } from './line-mutations';

const BERLIN = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:STANDARD',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];

/** A VTIMEZONE as a client might send it: the usual one, or one with a hostile TZID, offset or rule. */
const vtimezone = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ tzid: 'Europe/Berlin', lines: BERLIN }) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        tzid: weirdTzid,
        offset: fc.constantFrom('+1400', '-1200', '+0100', '+9999', '-0000', '1', 'abc'),
        rule: fc.constantFrom('FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'FREQ=MINUTELY', 'FREQ=SECONDLY;INTERVAL=1', 'FREQ=DAILY', 'FREQ=YEARLY;COUNT=0', ''),
        start: fc.constantFrom('19701025T030000', '16010101T000000', '00010101T000000', '20260101T000000', 'garbage'),
      })
      .map(({ tzid, offset, rule, start }) => ({
        tzid,
        lines: ['BEGIN:VTIMEZONE', `TZID:${tzid}`, 'BEGIN:STANDARD', `DTSTART:${start}`, ...(rule ? [`RRULE:${rule}`] : []), 'TZOFFSETFROM:+0100', `TZOFFSETTO:${offset}`, 'END:STANDARD', 'END:VTIMEZONE'],
      })),
  },
);

/** RRULE parts at random: valid ones, and the values that ask for unbounded work. */
export const rrule = fc
  .record(
    {
      FREQ: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'HOURLY', 'MINUTELY', 'SECONDLY', 'FORTNIGHTLY', ''),
      INTERVAL: fc.oneof(fc.constantFrom('1', '2'), extremeNumber),
      COUNT: fc.oneof(fc.constantFrom('3', '10', '52'), extremeNumber),
      UNTIL: fc.oneof(fc.constantFrom('{date+400}T235959Z', '{date+60}'), badDate),
      BYDAY: fc.constantFrom('MO,WE,FR', 'TU', '-1SU', '53MO', '+5FR', 'XX', 'MO,MO,MO', '0SU'),
      BYMONTH: fc.constantFrom('1', '12', '13', '0', '-1', '2,2'),
      BYMONTHDAY: fc.constantFrom('1', '31', '-1', '32', '0'),
      BYSETPOS: fc.constantFrom('1', '-1', '367', '0'),
      BYHOUR: fc.constantFrom('9', '25', '-1'),
      BYWEEKNO: fc.constantFrom('1', '53', '54', '-53'),
      BYYEARDAY: fc.constantFrom('1', '366', '367', '-366'),
      WKST: fc.constantFrom('MO', 'SU', 'XX'),
    },
    { requiredKeys: ['FREQ'] },
  )
  .map((parts) => Object.entries(parts).map(([name, value]) => `${name}=${value}`).join(';'));

const uid = fc.stringMatching(/^[a-z0-9]{6,14}$/);
/**
 * Days from today, as `{date+N}` placeholders the lane fills in when it sends: events stay inside the
 * server's sync window (a month back, a year ahead), where they must be listed and queried.
 */
const day = fc.integer({ min: 1, max: 300 });
const at = (days: number, hour = '09') => `{date+${days}}T${hour}0000Z`;
const start = day.map((days) => at(days));
const local = (utc: string) => utc.replace('Z', '');

const event = (id: string, ...props: string[]) => ['BEGIN:VEVENT', `UID:${id}`, 'DTSTAMP:20260101T000000Z', ...props, 'END:VEVENT'];
const calendar = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//fuzz//EN', ...lines, 'END:VCALENDAR'];

interface Seed {
  name: string;
  collection: 'calendar' | 'tasks';
  lines: string[];
}

/** Real-world-shaped calendar objects, each valid before mutation. */
const seeds: fc.Arbitrary<Seed> = fc.oneof(
  fc.tuple(uid, start, hostileText).map(([id, s, summary]) => ({ name: 'event', collection: 'calendar' as const, lines: calendar(...event(id, `DTSTART:${s}`, 'DURATION:PT1H', `SUMMARY:${summary.replace(/[\r\n]/g, ' ')}`)) })),
  fc.tuple(uid, start, vtimezone).map(([id, s, zone]) => ({
    name: 'event-vtimezone',
    collection: 'calendar' as const,
    lines: calendar(...zone.lines, ...event(id, `DTSTART;TZID=${zone.tzid}:${local(s)}`, `DTEND;TZID=${zone.tzid}:${local(s).replace(/T09/, 'T10')}`, 'SUMMARY:Zoned')),
  })),
  fc.tuple(uid, start, fc.constantFrom('COUNT=10', 'UNTIL={date+400}T235959Z'), fc.boolean()).map(([id, s, end, exdate]) => ({
    name: 'weekly-series',
    collection: 'calendar' as const,
    lines: calendar(...BERLIN, ...event(id, `DTSTART;TZID=Europe/Berlin:${local(s)}`, 'DURATION:PT30M', `RRULE:FREQ=WEEKLY;BYDAY=MO,WE;${end}`, ...(exdate ? [`EXDATE;TZID=Europe/Berlin:${local(s)}`] : []), 'SUMMARY:Standup')),
  })),
  fc.tuple(uid, start, rrule).map(([id, s, rule]) => ({ name: 'random-rrule', collection: 'calendar' as const, lines: calendar(...event(id, `DTSTART:${s}`, 'DURATION:PT1H', `RRULE:${rule}`, 'SUMMARY:Rule')) })),
  fc.tuple(uid, start).map(([id, s]) => ({
    name: 'series-with-override',
    collection: 'calendar' as const,
    lines: calendar(
      ...event(id, `DTSTART:${s}`, 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=5', 'SUMMARY:Daily'),
      ...event(id, `RECURRENCE-ID:${s}`, `DTSTART:${s.replace(/T09/, 'T11')}`, 'DURATION:PT1H', 'SUMMARY:Moved'),
    ),
  })),
  fc.tuple(uid, start).map(([id, s]) => ({ name: 'all-day', collection: 'calendar' as const, lines: calendar(...event(id, `DTSTART;VALUE=DATE:${s.slice(0, s.indexOf('T'))}`, 'SUMMARY:Holiday', 'TRANSP:TRANSPARENT')) })),
  fc.tuple(uid, start).map(([id, s]) => ({
    name: 'event-alarm-attendees',
    collection: 'calendar' as const,
    lines: calendar(
      ...event(id, `DTSTART:${s}`, 'DURATION:PT1H', 'ORGANIZER;CN="Ann":mailto:ann@example.org', 'ATTENDEE;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT:mailto:bob@example.org', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT15M', 'DESCRIPTION:Soon', 'END:VALARM').slice(0, -1),
      'END:VEVENT',
    ),
  })),
  fc.tuple(uid, start, fc.constantFrom('NEEDS-ACTION', 'COMPLETED', 'IN-PROCESS')).map(([id, s, status]) => ({
    name: 'task',
    collection: 'tasks' as const,
    lines: calendar('BEGIN:VTODO', `UID:${id}`, 'DTSTAMP:20260101T000000Z', `DUE:${s}`, `STATUS:${status}`, 'SUMMARY:Task', 'PRIORITY:1', 'END:VTODO'),
  })),
  fc.tuple(uid, start, fc.constantFrom(2, 10, 100, 2_000)).map(([id, s, depth]) => ({
    name: 'deep-nesting',
    collection: 'calendar' as const,
    lines: calendar(...event(id, `DTSTART:${s}`, ...Array.from({ length: depth }, () => 'BEGIN:VALARM'), ...Array.from({ length: depth }, () => 'END:VALARM')).slice(0, -1), 'END:VEVENT'),
  })),
  // Every day after the first excluded: the first instance stays inside the window, where it must be listed.
  fc.tuple(uid, day, fc.constantFrom(10, 100, 1_000, 50_000)).map(([id, first, count]) => ({
    name: 'many-exdates',
    collection: 'calendar' as const,
    lines: calendar(...event(id, `DTSTART:${at(first)}`, 'DURATION:PT1H', 'RRULE:FREQ=DAILY', ...Array.from({ length: count }, (_, i) => `EXDATE:${at(first + i + 1)}`), 'SUMMARY:Gaps')),
  })),
);

/** Properties to insert: bad dates and durations, odd parameters, long and hostile values. */
const extraProperty = fc.oneof(
  badDate.map((d) => `DTSTART:${d}`),
  badDate.map((d) => `DTEND:${d}`),
  badDate.map((d) => `DURATION:${d}`),
  badDate.map((d) => `EXDATE:${d}`),
  badDate.map((d) => `RECURRENCE-ID:${d}`),
  rrule.map((r) => `RRULE:${r}`),
  fc.tuple(weirdTzid, badDate).map(([tz, d]) => `DTSTART;TZID=${tz}:${d}`),
  weirdTzid.map((tz) => `DTSTART;TZID=${tz}:20260105T090000`),
  hostileText.map((t) => `SUMMARY:${t}`),
  hostileText.map((t) => `X-${t.replace(/[^A-Z-]/gi, '') || 'A'}:${t}`),
  hostileText.map((t) => `ATTENDEE;CN="${t}";X-P=${t}:mailto:x@example.org`),
  extremeNumber.map((n) => `SEQUENCE:${n}`),
  extremeNumber.map((n) => `PRIORITY:${n}`),
  fc.constantFrom('BEGIN:VEVENT', 'END:VEVENT', 'BEGIN:VCALENDAR', 'BEGIN:X-FOO', 'BEGIN:VTIMEZONE', 'UID:', 'UID:other-uid', 'VERSION:3.0', 'METHOD:REQUEST', 'TRIGGER;RELATED=END:garbage'),
);

const mutations = fc.array(lineMutation(extraProperty), { minLength: 1, maxLength: 4 });

/** A PUT of a calendar object: a seed, valid (1 in 5) or mutated. */
export const icalendarCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(seeds, fc.option(mutations, { freq: 5 }), lineEnding, fc.stringMatching(/^[a-z0-9]{4,10}$/))
  .map(([seed, applied, eol, resource]) => {
    const lines = applied ? mutateLines(seed.lines, applied) : seed.lines;
    return {
      kind: 'icalendar',
      label: [seed.name, ...(applied ?? []).map((m) => m.name)].join('+'),
      request: { method: 'PUT', path: `{${seed.collection}}${resource}.ics`, headers: { 'Content-Type': 'text/calendar; charset=utf-8' }, body: lines.join(eol) + eol },
    };
  });
