import { isSingleTimedEvent } from './simple-event';

const ics = (...lines: string[]) => ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:x', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe('which events the index alone can place in a time range', () => {
  it('takes a single event in UTC or in a zone it can resolve', () => {
    expect(isSingleTimedEvent(ics('DTSTART:20260101T090000Z', 'DTEND:20260101T100000Z'))).toBe(true);
    expect(isSingleTimedEvent(ics('DTSTART;TZID=Europe/Berlin:20260101T090000'))).toBe(true);
    expect(isSingleTimedEvent(ics('DTSTART;TZID=W. Europe Standard Time:20260101T090000'))).toBe(true);
  });

  it('leaves series, overrides, all-day, floating and unknown zones to the full evaluation', () => {
    expect(isSingleTimedEvent(ics('DTSTART:20260101T090000Z', 'RRULE:FREQ=DAILY'))).toBe(false);
    expect(isSingleTimedEvent(ics('DTSTART:20260101T090000Z', 'RDATE:20260105T090000Z'))).toBe(false);
    expect(isSingleTimedEvent(ics('RECURRENCE-ID:20260101T090000Z', 'DTSTART:20260101T090000Z'))).toBe(false);
    expect(isSingleTimedEvent(ics('DTSTART;VALUE=DATE:20260101'))).toBe(false);
    expect(isSingleTimedEvent(ics('DTSTART:20260101T090000'))).toBe(false);
    expect(isSingleTimedEvent(ics('DTSTART;TZID=Mars/Olympus:20260101T090000'))).toBe(false);
  });
});
