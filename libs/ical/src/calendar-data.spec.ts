import { expandCalendarData } from './calendar-data';
import { parseVcalendar } from './calendar-object';

const series = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:s', 'DTSTART:20260101T090000Z', 'DTEND:20260101T100000Z', 'RRULE:FREQ=DAILY;COUNT=5', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
const at = (iso: string) => Date.parse(iso);

describe('expand on a parsed object kept across requests', () => {
  it('answers each range as the text would, however often and in whatever order it is asked', () => {
    const root = parseVcalendar(series);
    const first = [at('2026-01-01T00:00:00Z'), at('2026-01-03T00:00:00Z')] as const;
    const later = [at('2026-01-04T00:00:00Z'), at('2026-01-10T00:00:00Z')] as const;
    const once = expandCalendarData(root, ...first);
    expect(once.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    const other = expandCalendarData(root, ...later);
    expect(other.match(/RECURRENCE-ID:2026010[45]T090000Z/g)).toHaveLength(2);
    expect(expandCalendarData(root, ...first)).toBe(once);
    expect(expandCalendarData(series, ...first)).toBe(once);
    expect(expandCalendarData(series, ...later)).toBe(other);
  });
});
