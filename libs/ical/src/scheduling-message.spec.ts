import { EUROPE_BERLIN as BERLIN } from '@davmesh/testing';
import { InvalidCalendarObject } from './calendar-object';
import { readFreeBusyRequest, readSchedulingMessage } from './scheduling-message';

function calendar(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

const freebusy = (...props: string[]) => ['BEGIN:VFREEBUSY', 'UID:fb-1', 'DTSTAMP:20260101T000000Z', ...props, 'END:VFREEBUSY'];
const request = (...props: string[]) =>
  calendar('METHOD:REQUEST', ...freebusy('ORGANIZER:mailto:anna@example.org', 'ATTENDEE:mailto:bert@example.org', ...props));

function refusal(read: () => unknown): string | undefined {
  try {
    read();
    return undefined;
  } catch (error) {
    if (error instanceof InvalidCalendarObject) return error.condition;
    throw error;
  }
}

describe('reading an iTIP message for a schedule inbox', () => {
  it('answers its method, component and UID; a REPLY needs no DTSTART', () => {
    const reply = calendar('METHOD:REPLY', 'BEGIN:VEVENT', 'UID:meeting-1', 'DTSTAMP:20260101T000000Z', 'ORGANIZER:mailto:anna@example.org', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:bert@example.org', 'END:VEVENT');
    expect(readSchedulingMessage(reply)).toEqual({ method: 'REPLY', component: 'VEVENT', uid: 'meeting-1' });
  });

  it('refuses a message without METHOD, with an unknown one, mixed components or no UID', () => {
    const event = ['BEGIN:VEVENT', 'UID:x', 'DTSTAMP:20260101T000000Z', 'END:VEVENT'];
    expect(refusal(() => readSchedulingMessage(calendar(...event)))).toBe('valid-scheduling-message');
    expect(refusal(() => readSchedulingMessage(calendar('METHOD:GOSSIP', ...event)))).toBe('valid-scheduling-message');
    expect(refusal(() => readSchedulingMessage(calendar('METHOD:REQUEST', ...event, 'BEGIN:VTODO', 'UID:x', 'END:VTODO')))).toBe('valid-scheduling-message');
    expect(refusal(() => readSchedulingMessage(calendar('METHOD:REQUEST', 'BEGIN:VEVENT', 'DTSTAMP:20260101T000000Z', 'END:VEVENT')))).toBe('valid-scheduling-message');
    expect(refusal(() => readSchedulingMessage('not iCalendar'))).toBe('valid-calendar-data');
  });
});

describe('reading a free-busy request for a schedule outbox', () => {
  it('answers organizer, attendees without repeats and the range; a zoned time is converted, a floating one taken as UTC', () => {
    const read = readFreeBusyRequest(
      calendar(
        ...BERLIN,
        'METHOD:REQUEST',
        ...freebusy(
          'ORGANIZER;CN=Anna:mailto:anna@example.org',
          'ATTENDEE:mailto:bert@example.org',
          'ATTENDEE;CN=Cleo:mailto:cleo@example.org',
          'ATTENDEE:mailto:bert@example.org',
          'DTSTART;TZID=Europe/Berlin:20260310T090000',
          'DTEND:20260311T000000',
        ),
      ),
    );
    expect(read).toEqual({
      uid: 'fb-1',
      organizer: 'mailto:anna@example.org',
      attendees: ['mailto:bert@example.org', 'mailto:cleo@example.org'],
      start: Date.parse('2026-03-10T08:00:00Z'),
      end: Date.parse('2026-03-11T00:00:00Z'),
    });
  });

  it('refuses what is not one VFREEBUSY REQUEST with ORGANIZER, ATTENDEE and a range that ends after it starts', () => {
    expect(refusal(() => readFreeBusyRequest(request('DTSTART:20260310T000000Z', 'DTEND:20260311T000000Z')))).toBeUndefined();
    const cases = [
      calendar('METHOD:REPLY', ...freebusy('ORGANIZER:mailto:a@x', 'ATTENDEE:mailto:b@x', 'DTSTART:20260310T000000Z', 'DTEND:20260311T000000Z')),
      calendar('METHOD:REQUEST', ...freebusy('ATTENDEE:mailto:b@x', 'DTSTART:20260310T000000Z', 'DTEND:20260311T000000Z')),
      calendar('METHOD:REQUEST', ...freebusy('ORGANIZER:mailto:a@x', 'DTSTART:20260310T000000Z', 'DTEND:20260311T000000Z')),
      request('DTEND:20260311T000000Z'),
      request('DTSTART:20260310T000000Z'),
      request('DTSTART:20260311T000000Z', 'DTEND:20260310T000000Z'),
      calendar('METHOD:REQUEST', 'BEGIN:VEVENT', 'UID:e', 'DTSTAMP:20260101T000000Z', 'END:VEVENT'),
    ];
    expect(cases.map((text) => refusal(() => readFreeBusyRequest(text)))).toEqual(cases.map(() => 'valid-scheduling-message'));
    expect(refusal(() => readFreeBusyRequest(request('DTSTART:2026031', 'DTEND:20260311T000000Z')))).toBe('valid-calendar-data');
  });
});
