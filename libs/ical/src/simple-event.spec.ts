import { expandCalendarData, limitRecurrenceSet } from './calendar-data';
import { parseVcalendar } from './calendar-object';
import { expandsToItself, isSingleTimedEvent } from './simple-event';

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

describe('an event whose expansion is itself', () => {
  const inRange = (text: string) => expandCalendarData(text, Date.parse('2025-12-01T00:00:00Z'), Date.parse('2026-02-01T00:00:00Z'));
  const jcal = (text: string) => parseVcalendar(text).toJSON();

  it('is a single UTC event, which expand gives back unchanged', () => {
    for (const event of [
      ics('DTSTART:20260101T090000Z', 'DTEND:20260101T100000Z', 'SUMMARY:Plain'),
      ics('DTSTART:20260101T090000Z', 'DURATION:PT1H', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT5M', 'END:VALARM'),
    ]) {
      expect(expandsToItself(event)).toBe(true);
      expect(jcal(inRange(event))).toEqual(jcal(event));
    }
  });

  it('is not one with a zoned time anywhere, or a time zone to drop', () => {
    expect(expandsToItself(ics('DTSTART;TZID=Europe/Berlin:20260101T090000'))).toBe(false);
    expect(expandsToItself(ics('DTSTART:20260101T090000Z', 'DTEND;TZID=Europe/Berlin:20260101T110000'))).toBe(false);
    expect(expandsToItself(ics('DTSTART:20260101T090000Z', 'RRULE:FREQ=DAILY'))).toBe(false);
    const withZone = ['BEGIN:VCALENDAR', 'BEGIN:VTIMEZONE', 'TZID:UTC', 'END:VTIMEZONE', 'BEGIN:VEVENT', 'UID:x', 'DTSTART:20260101T090000Z', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    expect(expandsToItself(withZone)).toBe(false);
  });
});

describe('limit-recurrence-set on a parsed object', () => {
  it('leaves the parsed object as it was, for the next request that reads it', () => {
    const series = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:s', 'DTSTART:20260101T090000Z', 'RRULE:FREQ=DAILY;COUNT=5', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:s', 'RECURRENCE-ID:20260104T090000Z', 'DTSTART:20260104T100000Z', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const root = parseVcalendar(series);
    const limited = limitRecurrenceSet(root, Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-02T00:00:00Z'));
    expect(limited).not.toContain('RECURRENCE-ID');
    expect(root.getAllSubcomponents('vevent')).toHaveLength(2);
  });
});
