import { EUROPE_BERLIN as BERLIN } from '@davmesh/testing';
import { InvalidCalendarObject, readCalendarObject } from './calendar-object';
import { DEFAULT_ICAL_LIMITS } from './ical-limits';


function calendar(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

function event(uid: string, ...props: string[]): string[] {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...props, 'END:VEVENT'];
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('reading a calendar object resource', () => {
  it('spans a single timed event from its start to its end', () => {
    const summary = readCalendarObject(calendar(...event('a', 'DTSTART:20260310T090000Z', 'DTEND:20260310T100000Z')));
    expect(summary.uid).toBe('a');
    expect(summary.component).toBe('VEVENT');
    expect(summary.span).toEqual({ start: Date.parse('2026-03-10T09:00:00Z'), end: Date.parse('2026-03-10T10:00:00Z') });
  });

  it('spans a weekly series to the end of its last instance, across a DST change, honouring EXDATE and a moved override', () => {
    const summary = readCalendarObject(
      calendar(
        ...BERLIN,
        ...event(
          'series',
          'DTSTART;TZID=Europe/Berlin:20260301T100000',
          'DTEND;TZID=Europe/Berlin:20260301T110000',
          'RRULE:FREQ=WEEKLY;COUNT=5',
          'EXDATE;TZID=Europe/Berlin:20260329T100000',
        ),
        ...event('series', 'RECURRENCE-ID;TZID=Europe/Berlin:20260322T100000', 'DTSTART;TZID=Europe/Berlin:20260402T150000', 'DTEND;TZID=Europe/Berlin:20260402T160000'),
      ),
    );
    if (summary.span === 'none') throw new Error('expected occurrences');
    expect(iso(summary.span.start)).toBe('2026-03-01T09:00:00.000Z');
    // The last regular instance, 29 March, is excluded; the moved 22 March instance ends last, in summer time.
    expect(iso(summary.span.end)).toBe('2026-04-02T14:00:00.000Z');
  });

  it('leaves an unbounded series open-ended', () => {
    const summary = readCalendarObject(calendar(...event('daily', 'DTSTART:20260101T080000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY')));
    expect(summary.span).toEqual({ start: Date.parse('2026-01-01T08:00:00Z'), end: Infinity });
  });

  it('refuses a rule that never yields when its time runs out, however many steps it may take', () => {
    const limits = { ...DEFAULT_ICAL_LIMITS, recurrenceSteps: 1_000_000_000, recurrenceMillis: 100 };
    const never = calendar(...event('never', 'DTSTART:20260101T080000Z', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'));
    expect(() => readCalendarObject(never, limits)).toThrow(expect.objectContaining({ condition: 'max-instances', message: expect.stringContaining('100 ms') }));
  });

  it('keeps a series whose every instance is excluded, with no occurrences', () => {
    const summary = readCalendarObject(
      calendar(...event('gone', 'DTSTART:20260101T080000Z', 'RRULE:FREQ=DAILY;COUNT=2', 'EXDATE:20260101T080000Z,20260102T080000Z')),
    );
    expect(summary.span).toBe('none');
  });

  it('widens all-day and floating events by the largest time-zone offsets', () => {
    const allDay = readCalendarObject(calendar(...event('day', 'DTSTART;VALUE=DATE:20260310')));
    if (allDay.span === 'none') throw new Error('expected occurrences');
    expect(iso(allDay.span.start)).toBe('2026-03-09T10:00:00.000Z');
    expect(iso(allDay.span.end)).toBe('2026-03-11T14:00:00.000Z');
  });

  it('gives a task without dates every time range, and a done task with a due date the time before it', () => {
    const open = readCalendarObject(calendar('BEGIN:VTODO', 'UID:t', 'DTSTAMP:20260101T000000Z', 'SUMMARY:x', 'END:VTODO'));
    expect(open).toMatchObject({ component: 'VTODO', span: { start: -Infinity, end: Infinity } });
    const done = readCalendarObject(calendar('BEGIN:VTODO', 'UID:t', 'DTSTAMP:20260101T000000Z', 'DUE:20260301T120000Z', 'STATUS:COMPLETED', 'END:VTODO'));
    expect(done.span).toEqual({ start: -Infinity, end: Date.parse('2026-03-01T12:00:00Z') });
  });

  it('keeps a task that is not done current past its due date, so no sync window hides it while overdue', () => {
    const overdue = readCalendarObject(calendar('BEGIN:VTODO', 'UID:t', 'DTSTAMP:20260101T000000Z', 'DUE:20260301T120000Z', 'STATUS:NEEDS-ACTION', 'END:VTODO'));
    expect(overdue.span).toEqual({ start: -Infinity, end: Infinity });
    const cancelled = readCalendarObject(calendar('BEGIN:VTODO', 'UID:t', 'DTSTAMP:20260101T000000Z', 'DUE:20260301T120000Z', 'STATUS:CANCELLED', 'END:VTODO'));
    expect(cancelled.span).toEqual({ start: -Infinity, end: Date.parse('2026-03-01T12:00:00Z') });
  });

  it.each([
    ['not iCalendar at all', 'hello', 'valid-calendar-data'],
    ['a vCard', 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nEND:VCARD\r\n', 'valid-calendar-data'],
    ['two UIDs', calendar(...event('a', 'DTSTART:20260101T000000Z'), ...event('b', 'DTSTART:20260101T000000Z')), 'valid-calendar-object-resource'],
    ['two component types', calendar(...event('a', 'DTSTART:20260101T000000Z'), 'BEGIN:VTODO', 'UID:a', 'END:VTODO'), 'valid-calendar-object-resource'],
    ['a METHOD', calendar('METHOD:REQUEST', ...event('a', 'DTSTART:20260101T000000Z')), 'valid-calendar-object-resource'],
    ['no UID', calendar('BEGIN:VEVENT', 'DTSTART:20260101T000000Z', 'END:VEVENT'), 'valid-calendar-object-resource'],
    ['only a time zone', calendar(...BERLIN), 'valid-calendar-object-resource'],
    ['a VFREEBUSY, valid but not stored', calendar('BEGIN:VFREEBUSY', 'UID:fb', 'DTSTAMP:20260101T000000Z', 'END:VFREEBUSY'), 'supported-calendar-component'],
  ])('refuses %s with %s', (_name, text, condition) => {
    expect(() => readCalendarObject(text)).toThrow(InvalidCalendarObject);
    try {
      readCalendarObject(text);
    } catch (error) {
      expect((error as InvalidCalendarObject).condition).toBe(condition);
    }
  });
});

describe('time zones a calendar object names without defining them', () => {
  it('reads an IANA TZID without VTIMEZONE with the platform rules, DST included', () => {
    const summary = readCalendarObject(calendar(...event('iana', 'DTSTART;TZID=America/New_York:20260710T100000', 'DTEND;TZID=America/New_York:20260710T110000')));
    if (summary.span === 'none') throw new Error('expected occurrences');
    expect(iso(summary.span.start)).toBe('2026-07-10T14:00:00.000Z');
  });

  it('maps a Windows zone name (Outlook) to its IANA zone instead of rejecting or mis-timing it', () => {
    const summer = readCalendarObject(calendar(...event('win', 'DTSTART;TZID=W. Europe Standard Time:20260710T100000', 'DURATION:PT1H')));
    const winter = readCalendarObject(calendar(...event('win2', 'DTSTART;TZID=W. Europe Standard Time:20260110T100000', 'DURATION:PT1H')));
    if (summer.span === 'none' || winter.span === 'none') throw new Error('expected occurrences');
    expect(iso(summer.span.start)).toBe('2026-07-10T08:00:00.000Z');
    expect(iso(winter.span.start)).toBe('2026-01-10T09:00:00.000Z');
  });

  it('keeps an unknown TZID floating, widened like floating time', () => {
    const summary = readCalendarObject(calendar(...event('unknown', 'DTSTART;TZID=Mars/Olympus:20260710T100000', 'DURATION:PT1H')));
    if (summary.span === 'none') throw new Error('expected occurrences');
    expect(iso(summary.span.start)).toBe('2026-07-09T20:00:00.000Z');
  });
});

describe('time zones a calendar object defines', () => {
  const berlinEvent = (uid: string, zone: string[]) => calendar(...zone, ...event(uid, 'DTSTART;TZID=Europe/Berlin:20260310T090000', 'DURATION:PT1H'));

  it('judges each VTIMEZONE by its whole text: a sound Berlin met before lets no other Berlin through', () => {
    expect(readCalendarObject(berlinEvent('sound-1', BERLIN)).span).toMatchObject({ start: Date.parse('2026-03-10T08:00:00Z') });
    expect(readCalendarObject(berlinEvent('sound-2', BERLIN)).span).toMatchObject({ start: Date.parse('2026-03-10T08:00:00Z') });
    const monthly = BERLIN.map((line) => (line.startsWith('RRULE:') ? 'RRULE:FREQ=MONTHLY' : line));
    expect(monthly).not.toEqual(BERLIN);
    expect(() => readCalendarObject(berlinEvent('monthly', monthly))).toThrow(/must be FREQ=YEARLY/);
    expect(() => readCalendarObject(berlinEvent('monthly-again', monthly))).toThrow(/must be FREQ=YEARLY/);
  });

  it('reads each object by its own definition: a Berlin at +14:00 met between two true ones moves neither', () => {
    const farEast = ['BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+1400', 'TZOFFSETTO:+1400', 'END:STANDARD', 'END:VTIMEZONE'];
    const startOf = (uid: string, zone: string[]) => readCalendarObject(berlinEvent(uid, zone)).span;
    expect(startOf('true-1', BERLIN)).toMatchObject({ start: Date.parse('2026-03-10T08:00:00Z') });
    expect(startOf('far-east', farEast)).toMatchObject({ start: Date.parse('2026-03-09T19:00:00Z') });
    expect(startOf('true-2', BERLIN)).toMatchObject({ start: Date.parse('2026-03-10T08:00:00Z') });
    expect(startOf('far-east-again', farEast)).toMatchObject({ start: Date.parse('2026-03-09T19:00:00Z') });
  });
});
