import { renderFreeBusyReply } from './free-busy-body';

describe('a free-busy reply (RFC 5546 3.3.3) as calendar-data of a schedule-response', () => {
  const now = new Date('2030-03-01T08:00:00Z');

  it('says METHOD:REPLY, who asked whom, the range and the busy periods', () => {
    const text = renderFreeBusyReply(
      '2030-03-10T00:00:00.000Z',
      '2030-03-11T00:00:00.000Z',
      [{ start: '2030-03-10T10:00:00.000Z', end: '2030-03-10T11:00:00.000Z', type: 'BUSY' }],
      { uid: 'a;b,c', organizer: 'mailto:anna@example.org', attendee: 'mailto:bert@example.org' },
      now,
    );
    expect(text.split('\r\n')).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//davmesh//CalDAV//EN',
      'METHOD:REPLY',
      'BEGIN:VFREEBUSY',
      'UID:a\\;b\\,c',
      'ORGANIZER:mailto:anna@example.org',
      'ATTENDEE:mailto:bert@example.org',
      'DTSTAMP:20300301T080000Z',
      'DTSTART:20300310T000000Z',
      'DTEND:20300311T000000Z',
      'FREEBUSY;FBTYPE=BUSY:20300310T100000Z/20300310T110000Z',
      'END:VFREEBUSY',
      'END:VCALENDAR',
      '',
    ]);
  });

  it('folds lines longer than 75 octets without splitting a character', () => {
    const attendee = `mailto:${'ü'.repeat(60)}@example.org`;
    const text = renderFreeBusyReply('2030-03-10T00:00:00.000Z', '2030-03-11T00:00:00.000Z', [], { organizer: 'mailto:a@example.org', attendee }, now);
    const lines = text.split('\r\n');
    expect(lines.every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    expect(text.replace(/\r\n /g, '')).toContain(`ATTENDEE:${attendee}\r\n`);
  });
});
