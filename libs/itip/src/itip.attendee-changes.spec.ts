import { applyReply, applyRequest, attendeeOutbox, calendarUserOf, organizerOutbox } from './index';
import { ALICE, attendee, BOB, calendar, meeting, NOW, ORGANIZER, Parsed } from './testing/itip-fixtures';

const olivia = calendarUserOf(ORGANIZER);
const bob = calendarUserOf(BOB);
const organizerCopy = calendar(
  ...meeting('offsite', 'DTSTART:20260505T070000Z', 'DTEND:20260505T150000Z', 'SUMMARY:Offsite', 'LOCATION:Harbour', attendee(ORGANIZER, 'PARTSTAT=ACCEPTED'), attendee(ALICE, 'PARTSTAT=ACCEPTED'), attendee(BOB, 'PARTSTAT=ACCEPTED')),
);
const bobCopy = applyRequest(undefined, organizerOutbox(undefined, organizerCopy, olivia, { now: NOW }).messages[0].ical, bob).ical;

describe('an attendee deletes their copy', () => {
  const { messages, stored } = attendeeOutbox(bobCopy, undefined, bob, { now: NOW });

  it('sends a REPLY declining the event (RFC 6638 3.2.2.4), which the organizer copy takes', () => {
    expect(stored).toBeUndefined();
    expect(messages.map((message) => [message.method, message.originator, message.recipients])).toEqual([['REPLY', BOB, [ORGANIZER]]]);
    const reply = new Parsed(messages[0].ical);
    expect(reply.instances).toEqual(['']);
    expect(reply.attendees()).toEqual([BOB]);
    expect(reply.partstat(BOB)).toBe('DECLINED');
    expect(new Parsed(applyReply(organizerCopy, messages[0].ical).ical).partstat(BOB)).toBe('DECLINED');
  });

  it('sends nothing when they had declined already, or the event was cancelled', () => {
    const declined = bobCopy.replace('PARTSTAT=ACCEPTED:mailto:bob', 'PARTSTAT=DECLINED:mailto:bob');
    expect(attendeeOutbox(declined, undefined, bob, { now: NOW }).messages).toEqual([]);
    const cancelled = bobCopy.replace('SUMMARY:Offsite', 'SUMMARY:Offsite\r\nSTATUS:CANCELLED');
    expect(attendeeOutbox(cancelled, undefined, bob, { now: NOW }).messages).toEqual([]);
  });
});

describe('what an attendee may change (RFC 6638 3.2.2.1)', () => {
  it('allows alarms, TRANSP and stamps without any message', () => {
    const personal = bobCopy
      .replace('SUMMARY:Offsite', 'SUMMARY:Offsite\r\nTRANSP:TRANSPARENT\r\nX-MOZ-LASTACK:20260504T070000Z\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:go\r\nTRIGGER:-PT1H\r\nEND:VALARM')
      .replace(/DTSTAMP:[0-9TZ]+/, 'DTSTAMP:20260301T000000Z');
    expect(attendeeOutbox(bobCopy, personal, bob, { now: NOW })).toEqual({ messages: [], stored: personal, disallowed: [] });
  });

  it("reports the organizer's properties changed, and keeps the REPLY for the PARTSTAT change", () => {
    const rewritten = bobCopy
      .replace('LOCATION:Harbour', 'LOCATION:Attic')
      .replace('DTSTART:20260505T070000Z', 'DTSTART:20260505T080000Z')
      .replace('PARTSTAT=ACCEPTED:mailto:bob', 'PARTSTAT=TENTATIVE:mailto:bob');
    const result = attendeeOutbox(bobCopy, rewritten, bob, { now: NOW });
    expect(result.disallowed).toEqual([{ property: 'DTSTART' }, { property: 'LOCATION' }]);
    expect(result.messages.map((message) => message.method)).toEqual(['REPLY']);
    const reply = new Parsed(result.messages[0].ical);
    expect(reply.partstat(BOB)).toBe('TENTATIVE');
    expect(reply.value('location')).toBeUndefined();
  });

  it("reports another attendee removed, and puts back the other attendees' answers the server holds", () => {
    const withoutAlice = bobCopy.replace(/ATTENDEE[^\r\n]*alice@example.com\r\n/, '');
    expect(attendeeOutbox(bobCopy, withoutAlice, bob, { now: NOW }).disallowed).toEqual([{ property: 'ATTENDEE' }]);
    const stale = bobCopy.replace('PARTSTAT=ACCEPTED:mailto:alice', 'PARTSTAT=NEEDS-ACTION:mailto:alice');
    const result = attendeeOutbox(bobCopy, stale, bob, { now: NOW });
    expect(result.disallowed).toEqual([]);
    expect(new Parsed(result.stored!).partstat(ALICE)).toBe('ACCEPTED');
  });

  it('reports an override the attendee adds that changes more than their own answer', () => {
    const series = bobCopy.replace('SUMMARY:Offsite', 'SUMMARY:Offsite\r\nRRULE:FREQ=DAILY;COUNT=2');
    const override = (summary: string) =>
      series.replace(
        'END:VCALENDAR',
        ['BEGIN:VEVENT', 'UID:offsite', 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID:20260506T070000Z', 'DTSTART:20260506T070000Z', 'DTEND:20260506T150000Z', `SUMMARY:${summary}`, 'LOCATION:Harbour', `ORGANIZER;CN=Olivia:${ORGANIZER}`, attendee(ORGANIZER, 'PARTSTAT=ACCEPTED'), attendee(ALICE, 'PARTSTAT=ACCEPTED'), attendee(BOB, 'PARTSTAT=DECLINED'), 'END:VEVENT', 'END:VCALENDAR'].join('\r\n'),
      );
    expect(attendeeOutbox(series, override('Offsite'), bob, { now: NOW }).disallowed).toEqual([]);
    expect(attendeeOutbox(series, override('Day off'), bob, { now: NOW }).disallowed).toEqual([{ instance: '20260506T070000Z', property: 'SUMMARY' }]);
  });

  it('sends nothing for a copy that is no scheduling object of theirs', () => {
    const mine = calendar('BEGIN:VEVENT', 'UID:lunch', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260505T110000Z', 'SUMMARY:Lunch', 'END:VEVENT');
    expect(attendeeOutbox(mine, mine.replace('Lunch', 'Late lunch'), bob, { now: NOW })).toEqual({ messages: [], stored: mine.replace('Lunch', 'Late lunch'), disallowed: [] });
  });
});
