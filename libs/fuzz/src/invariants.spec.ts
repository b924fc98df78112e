import { inSyncWindow } from './invariants';

const NOW = Date.parse('2026-12-06T06:00:00Z');

const event = (lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//fuzz//EN', 'BEGIN:VEVENT', 'UID:u1', 'DTSTAMP:20261206T000000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe('which stored objects the fuzzer expects in listings (the default sync window)', () => {
  it('expects a single event a few days ahead, not one two years ahead or a year back', () => {
    expect(inSyncWindow(event(['DTSTART:20261210T100000Z']), NOW)).toBe(true);
    expect(inSyncWindow(event(['DTSTART:20281210T100000Z']), NOW)).toBe(false);
    expect(inSyncWindow(event(['DTSTART:20251210T100000Z']), NOW)).toBe(false);
  });

  it('expects a weekly series from next week', () => {
    expect(inSyncWindow(event(['DTSTART:20261214T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=5']), NOW)).toBe(true);
  });

  it('does not expect a yearly series whose first occurrence falls after the window, though its DTSTART is inside', () => {
    // DTSTART in July 2027 (about 216 days ahead); the first March after it is March 2028.
    expect(inSyncWindow(event(['DTSTART:20270710T100000Z', 'RRULE:FREQ=YEARLY;BYMONTH=3']), NOW)).toBe(false);
    // From a January DTSTART the first March is inside.
    expect(inSyncWindow(event(['DTSTART:20270110T100000Z', 'RRULE:FREQ=YEARLY;BYMONTH=3']), NOW)).toBe(true);
  });

  it('claims nothing for a series it cannot read', () => {
    expect(inSyncWindow(event(['DTSTART:20261214T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=5']).replace('END:VCALENDAR', ''), NOW)).toBe(false);
  });
});
