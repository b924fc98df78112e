import { InvalidCalendarObject } from '@davmesh/ical';
import { applyCancel, applyReply, applyRequest, calendarUserOf, DEFAULT_ITIP_LIMITS, organizerOutbox, SchedulingRefused } from './index';
import { ALICE, attendee, BOB, calendar, meeting, NOW, ORGANIZER } from './testing/itip-fixtures';

const olivia = calendarUserOf(ORGANIZER);
const crowd = (count: number) => Array.from({ length: count }, (_, i) => attendee(`mailto:person${i}@example.com`));
const event = (...lines: string[]) => calendar(...meeting('big', 'DTSTART:20260601T090000Z', 'DURATION:PT1H', 'SUMMARY:All hands', ...lines));
const refused = (condition: string) => expect.objectContaining({ name: 'SchedulingRefused', condition });

describe('bounds on what one scheduling operation reads and writes', () => {
  it('refuses 10,000 attendees in one component with max-attendees-per-instance', () => {
    const huge = event(...crowd(10_000));
    expect(() => organizerOutbox(undefined, huge, olivia, { now: NOW })).toThrow(refused('max-attendees-per-instance'));
    expect(() => applyRequest(undefined, huge.replace('VERSION:2.0', 'VERSION:2.0\r\nMETHOD:REQUEST'), calendarUserOf('mailto:person1@example.com'))).toThrow(SchedulingRefused);
  });

  it('schedules as many attendees as the limit allows, in one REQUEST for all', () => {
    const full = event(...crowd(DEFAULT_ITIP_LIMITS.maxAttendeesPerInstance));
    const { messages } = organizerOutbox(undefined, full, olivia, { now: NOW });
    expect(messages).toHaveLength(1);
    expect(messages[0].recipients).toHaveLength(DEFAULT_ITIP_LIMITS.maxAttendeesPerInstance);
  });

  it('refuses messages that would together exceed maxMessagesLength', () => {
    const limits = { ...DEFAULT_ITIP_LIMITS, maxMessagesLength: 2000 };
    // Each attendee in an instance of their own: one message each.
    const overrides = Array.from({ length: 20 }, (_, i) =>
      meeting('big', `RECURRENCE-ID:202606${String(i + 1).padStart(2, '0')}T090000Z`, `DTSTART:202606${String(i + 1).padStart(2, '0')}T100000Z`, 'DURATION:PT1H', attendee(`mailto:person${i}@example.com`)),
    );
    const series = calendar(...meeting('big', 'DTSTART:20260601T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=30'), ...overrides.flat());
    expect(() => organizerOutbox(undefined, series, olivia, { now: NOW, limits })).toThrow(refused('max-scheduling-messages'));
    expect(organizerOutbox(undefined, series, olivia, { now: NOW }).messages).toHaveLength(20);
  });

  it('refuses more components than maxComponents, and text longer than maxObjectLength', () => {
    const series = calendar(
      ...meeting('big', 'DTSTART:20260601T090000Z', 'RRULE:FREQ=DAILY;COUNT=30', attendee(ALICE)),
      ...Array.from({ length: 5 }, (_, i) => meeting('big', `RECURRENCE-ID:2026060${i + 2}T090000Z`, `DTSTART:2026060${i + 2}T100000Z`, attendee(ALICE))).flat(),
    );
    expect(() => organizerOutbox(undefined, series, olivia, { now: NOW, limits: { ...DEFAULT_ITIP_LIMITS, maxComponents: 5 } })).toThrow(refused('max-resource-size'));
    expect(() => organizerOutbox(undefined, series, olivia, { now: NOW, limits: { ...DEFAULT_ITIP_LIMITS, maxObjectLength: 500 } })).toThrow(refused('max-resource-size'));
  });

  it('leaves deep nesting and unreadable values to libs/ical, which refuses them', () => {
    const deep = event(attendee(ALICE), ...Array.from({ length: 20 }, () => 'BEGIN:X-NEST'), ...Array.from({ length: 20 }, () => 'END:X-NEST'));
    expect(() => organizerOutbox(undefined, deep, olivia, { now: NOW })).toThrow(InvalidCalendarObject);
    expect(() => organizerOutbox(undefined, deep, olivia, { now: NOW })).toThrow(expect.objectContaining({ condition: 'valid-calendar-data' }));
    const broken = event(attendee(ALICE)).replace('DTSTART:20260601T090000Z', 'DTSTART:20261341T090000Z');
    expect(() => organizerOutbox(undefined, broken, olivia, { now: NOW })).toThrow(InvalidCalendarObject);
  });

  it('refuses components that name different organizers (RFC 6638 3.2.4.2)', () => {
    const mixed = calendar(
      ...meeting('big', 'DTSTART:20260601T090000Z', 'RRULE:FREQ=DAILY;COUNT=3', attendee(ALICE)),
      'BEGIN:VEVENT',
      'UID:big',
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID:20260602T090000Z',
      'DTSTART:20260602T100000Z',
      `ORGANIZER:${BOB}`,
      attendee(ALICE),
      'END:VEVENT',
    );
    expect(() => organizerOutbox(undefined, mixed, olivia, { now: NOW })).toThrow(refused('same-organizer-in-all-components'));
  });
});

describe('messages that break iTIP', () => {
  const stored = event(attendee(ALICE, 'PARTSTAT=ACCEPTED'), attendee(BOB));
  const reply = (...lines: string[]) =>
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//x//y//EN', 'METHOD:REPLY', 'BEGIN:VEVENT', 'UID:big', 'DTSTAMP:20260201T000000Z', `ORGANIZER:${ORGANIZER}`, ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

  it('refuses a message of another METHOD than expected, or with none, or two', () => {
    expect(() => applyCancel(stored, reply(attendee(BOB, 'PARTSTAT=ACCEPTED')))).toThrow(refused('valid-scheduling-message'));
    expect(() => applyReply(stored, reply(attendee(BOB)).replace('METHOD:REPLY\r\n', ''))).toThrow(refused('valid-scheduling-message'));
    expect(() => applyReply(stored, reply(attendee(BOB)).replace('METHOD:REPLY', 'METHOD:REPLY\r\nMETHOD:REPLY'))).toThrow(refused('valid-scheduling-message'));
  });

  it('refuses a REPLY naming two attendees, or none', () => {
    expect(() => applyReply(stored, reply(attendee(ALICE, 'PARTSTAT=DECLINED'), attendee(BOB, 'PARTSTAT=DECLINED')))).toThrow(refused('valid-scheduling-message'));
    expect(() => applyReply(stored, reply())).toThrow(refused('valid-scheduling-message'));
  });

  it("refuses a message from another organizer than the copy's, or about another event", () => {
    expect(() => applyReply(stored, reply(attendee(BOB, 'PARTSTAT=ACCEPTED')).replace(`ORGANIZER:${ORGANIZER}`, `ORGANIZER:${ALICE}`))).toThrow(refused('valid-organizer'));
    expect(() => applyReply(stored, reply(attendee(BOB, 'PARTSTAT=ACCEPTED')).replace('UID:big', 'UID:other'))).toThrow(refused('valid-scheduling-message'));
  });

  it('passes over a REPLY from someone the event does not invite', () => {
    expect(applyReply(stored, reply(attendee('mailto:mallory@example.com', 'PARTSTAT=ACCEPTED')))).toMatchObject({ ical: stored, changed: false });
  });
});
