import { ParsedObjects } from './parsed-objects';

const ics = (uid: string) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTART:20260101T090000Z', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe('parsed calendar objects by ETag', () => {
  it('parses each ETag once while it is kept, and drops the least recently used beyond the bound', () => {
    const parsed = new ParsedObjects(2);
    const a = parsed.get('a', ics('a'));
    expect(parsed.get('a', ics('a'))).toBe(a);
    parsed.get('b', ics('b'));
    parsed.get('a', ics('a'));
    parsed.get('c', ics('c'));
    expect(parsed.get('a', ics('a'))).toBe(a);
    const b = parsed.get('b', ics('b'));
    expect(b.getFirstSubcomponent('vevent')?.getFirstPropertyValue('uid')).toBe('b');
  });

  it('keeps no more characters than its bound, and never an object larger than all of it', () => {
    const parsed = new ParsedObjects(100, ics('a').length * 2);
    const a = parsed.get('a', ics('a'));
    parsed.get('b', ics('b'));
    parsed.get('c', ics('c'));
    expect(parsed.get('a', ics('a'))).not.toBe(a);
    const big = ics('big').replace('END:VEVENT', `X-PAD:${'x'.repeat(1000)}\r\nEND:VEVENT`);
    expect(parsed.get('big', big)).not.toBe(parsed.get('big', big));
  });
});
