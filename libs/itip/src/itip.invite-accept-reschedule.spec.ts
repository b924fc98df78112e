import { applyReply, applyRequest, attendeeOutbox, calendarUserOf, organizerOutbox, withScheduleStatus, ScheduleStatus, type ItipMessage } from './index';
import { ALICE, attendee, BOB, calendar, meeting, NOW, ORGANIZER, Parsed } from './testing/itip-fixtures';

const olivia = calendarUserOf(ORGANIZER);
const alice = calendarUserOf(ALICE);
const bob = calendarUserOf(BOB);

/** RFC 6638 B.1-ish: Olivia invites Alice and Bob to a one-hour meeting. */
const invitation = (...extra: string[]) =>
  calendar(
    ...meeting(
      'planning',
      'DTSTART:20260310T090000Z',
      'DTEND:20260310T100000Z',
      'SUMMARY:Planning',
      attendee(ORGANIZER, 'PARTSTAT=ACCEPTED', 'ROLE=CHAIR'),
      attendee(ALICE, 'PARTSTAT=NEEDS-ACTION', 'RSVP=TRUE'),
      attendee(BOB, 'PARTSTAT=NEEDS-ACTION', 'RSVP=TRUE'),
      ...extra,
    ),
  );

const only = (messages: ItipMessage[]) => {
  expect(messages).toHaveLength(1);
  return messages[0];
};

describe('an organizer invites two attendees, one accepts, then the organizer changes the meeting', () => {
  const created = organizerOutbox(undefined, invitation(), olivia, { now: NOW });
  const request = only(created.messages);
  // What delivery does: each attendee's copy, and the organizer's copy marked delivered.
  const aliceCopy = applyRequest(undefined, request.ical, alice).ical;
  const bobCopy = applyRequest(undefined, request.ical, bob).ical;
  const organizerCopy = withScheduleStatus(created.stored!, { [ALICE]: ScheduleStatus.Delivered, [BOB]: ScheduleStatus.Delivered });

  it('sends one REQUEST to both attendees, not to the organizer, with only what iTIP carries', () => {
    expect(request).toMatchObject({ method: 'REQUEST', uid: 'planning', originator: ORGANIZER, recipients: [ALICE, BOB] });
    const message = new Parsed(request.ical);
    expect(message.method).toBe('REQUEST');
    expect(message.instances).toEqual(['']);
    expect(message.attendees()).toEqual([ORGANIZER, ALICE, BOB]);
    expect(message.value('dtstamp')).toBe('20260201T120000Z');
    expect(message.value('summary')).toBe('Planning');
    expect(created.rescheduled).toBe(false);
  });

  it('stores the new event for each attendee without METHOD, and SCHEDULE-STATUS 1.2 on the organizer copy', () => {
    for (const copy of [aliceCopy, bobCopy]) {
      const parsed = new Parsed(copy);
      expect(parsed.method).toBeUndefined();
      expect(parsed.value('dtstart')).toBe('20260310T090000Z');
      expect(parsed.partstat(ALICE)).toBe('NEEDS-ACTION');
    }
    const stored = new Parsed(organizerCopy);
    expect(stored.parameter(ALICE, 'schedule-status')).toBe('1.2');
    expect(stored.parameter(BOB, 'schedule-status')).toBe('1.2');
    expect(stored.parameter(ORGANIZER, 'schedule-status')).toBeUndefined();
  });

  describe('Bob accepts and adds an alarm', () => {
    const bobAccepted = bobCopy
      .replace('ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com')
      .replace('END:VEVENT', 'BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:soon\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\nEND:VEVENT');
    const replied = attendeeOutbox(bobCopy, bobAccepted, bob, { now: NOW });
    const reply = only(replied.messages);
    const afterReply = applyReply(organizerCopy, reply.ical);

    it('sends a REPLY to the organizer with only Bob as attendee, ACCEPTED', () => {
      expect(bobAccepted).toContain('PARTSTAT=ACCEPTED:mailto:bob');
      expect(reply).toMatchObject({ method: 'REPLY', originator: BOB, recipients: [ORGANIZER] });
      const message = new Parsed(reply.ical);
      expect(message.method).toBe('REPLY');
      expect(message.attendees()).toEqual([BOB]);
      expect(message.partstat(BOB)).toBe('ACCEPTED');
      expect(message.value('organizer')).toBe(ORGANIZER);
      expect(replied.disallowed).toEqual([]);
    });

    it("sets Bob's PARTSTAT and SCHEDULE-STATUS 2.0 on the organizer copy, an inconsequential change", () => {
      expect(afterReply).toMatchObject({ attendee: BOB, changed: true, consequential: false });
      const stored = new Parsed(afterReply.ical);
      expect(stored.partstat(BOB)).toBe('ACCEPTED');
      expect(stored.parameter(BOB, 'schedule-status')).toBe('2.0');
      expect(stored.partstat(ALICE)).toBe('NEEDS-ACTION');
    });

    describe('the organizer moves the meeting an hour later (a reschedule)', () => {
      const moved = afterReply.ical.replace('DTSTART:20260310T090000Z', 'DTSTART:20260310T100000Z').replace('DTEND:20260310T100000Z', 'DTEND:20260310T110000Z');
      const changed = organizerOutbox(afterReply.ical, moved, olivia, { now: NOW });

      it('resets every attendee but the organizer to NEEDS-ACTION and raises SEQUENCE on the stored copy', () => {
        expect(changed.rescheduled).toBe(true);
        const stored = new Parsed(changed.stored!);
        expect(stored.partstat(BOB)).toBe('NEEDS-ACTION');
        expect(stored.partstat(ORGANIZER)).toBe('ACCEPTED');
        expect(stored.value('sequence')).toBe('1');
      });

      it("sends a REQUEST to both; Bob's copy goes back to NEEDS-ACTION and keeps his alarm", () => {
        const message = only(changed.messages);
        expect(message).toMatchObject({ method: 'REQUEST', recipients: [ALICE, BOB] });
        expect(new Parsed(message.ical).partstat(BOB)).toBe('NEEDS-ACTION');
        const applied = applyRequest(bobAccepted, message.ical, bob);
        expect(applied).toMatchObject({ changed: true, consequential: true });
        const copy = new Parsed(applied.ical);
        expect(copy.value('dtstart')).toBe('20260310T100000Z');
        expect(copy.partstat(BOB)).toBe('NEEDS-ACTION');
        expect(copy.instance().getAllSubcomponents('valarm')).toHaveLength(1);
      });
    });

    describe('the organizer only changes the DESCRIPTION (not a reschedule)', () => {
      const described = afterReply.ical.replace('SUMMARY:Planning', 'SUMMARY:Planning\r\nDESCRIPTION:Bring the numbers');
      const changed = organizerOutbox(afterReply.ical, described, olivia, { now: NOW });

      it('still sends a REQUEST to both, but keeps PARTSTAT everywhere', () => {
        expect(changed.rescheduled).toBe(false);
        expect(new Parsed(changed.stored!).partstat(BOB)).toBe('ACCEPTED');
        const message = only(changed.messages);
        expect(message.recipients).toEqual([ALICE, BOB]);
        expect(new Parsed(message.ical).partstat(BOB)).toBe('ACCEPTED');
        const copy = new Parsed(applyRequest(bobAccepted, message.ical, bob).ical);
        expect(copy.partstat(BOB)).toBe('ACCEPTED');
        expect(copy.value('description')).toBe('Bring the numbers');
        expect(copy.instance().getAllSubcomponents('valarm')).toHaveLength(1);
      });

      it("keeps Bob's reply when the organizer's client writes back a stale copy of the attendees", () => {
        const stale = organizerOutbox(afterReply.ical, described.replace('PARTSTAT=ACCEPTED;SCHEDULE-STATUS=2.0:mailto:bob', 'PARTSTAT=NEEDS-ACTION:mailto:bob'), olivia, { now: NOW });
        expect(new Parsed(stale.stored!).partstat(BOB)).toBe('ACCEPTED');
        expect(new Parsed(stale.stored!).parameter(BOB, 'schedule-status')).toBe('2.0');
      });
    });

    it('sends nothing when the organizer stores the same event again, and stores it byte for byte', () => {
      const restamped = afterReply.ical.replace('DTSTAMP:20260101T000000Z', 'DTSTAMP:20260105T000000Z');
      const same = organizerOutbox(afterReply.ical, restamped, olivia, { now: NOW });
      expect(same.messages).toEqual([]);
      expect(same.stored).toBe(restamped);
    });
  });
});
