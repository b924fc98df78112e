import { applyCancel, applyRequest, calendarUserOf, organizerOutbox } from './index';
import { ALICE, attendee, BOB, CAROL, calendar, meeting, NOW, ORGANIZER, Parsed } from './testing/itip-fixtures';

const olivia = calendarUserOf(ORGANIZER);

const review = (...attendees: string[]) =>
  calendar(...meeting('review', 'SEQUENCE:2', 'DTSTART:20260312T140000Z', 'DURATION:PT30M', 'SUMMARY:Review', attendee(ORGANIZER, 'PARTSTAT=ACCEPTED'), ...attendees));
const everyone = review(attendee(ALICE, 'PARTSTAT=ACCEPTED'), attendee(BOB, 'PARTSTAT=TENTATIVE'), attendee(CAROL, 'PARTSTAT=ACCEPTED'));
const withoutCarol = review(attendee(ALICE, 'PARTSTAT=ACCEPTED'), attendee(BOB, 'PARTSTAT=TENTATIVE'));

describe('the organizer removes an attendee', () => {
  const { messages, rescheduled } = organizerOutbox(everyone, withoutCarol, olivia, { now: NOW });
  const [cancel, request] = messages;

  it('sends a CANCEL of the whole event to the removed attendee only, naming only them', () => {
    expect(messages.map((m) => [m.method, m.recipients])).toEqual([
      ['CANCEL', [CAROL]],
      ['REQUEST', [ALICE, BOB]],
    ]);
    const message = new Parsed(cancel.ical);
    expect(message.method).toBe('CANCEL');
    expect(message.instances).toEqual(['']);
    expect(message.attendees()).toEqual([CAROL]);
    expect(message.value('status')).toBe('CANCELLED');
    expect(message.value('sequence')).toBe('2');
    expect(rescheduled).toBe(false);
  });

  it('updates the others with the shorter attendee list, their answers kept', () => {
    const message = new Parsed(request.ical);
    expect(message.attendees()).toEqual([ORGANIZER, ALICE, BOB]);
    expect(message.partstat(BOB)).toBe('TENTATIVE');
  });

  it("marks the removed attendee's copy cancelled, a consequential change", () => {
    const carolCopy = applyRequest(undefined, organizerOutbox(undefined, everyone, olivia, { now: NOW }).messages[0].ical, calendarUserOf(CAROL)).ical;
    const applied = applyCancel(carolCopy, cancel.ical);
    expect(applied).toMatchObject({ changed: true, consequential: true });
    expect(new Parsed(applied.ical).value('status')).toBe('CANCELLED');
  });
});

describe('the organizer deletes the event', () => {
  const { messages, stored } = organizerOutbox(everyone, undefined, olivia, { now: NOW });

  it('sends one CANCEL to every attendee, above the last SEQUENCE, and stores nothing', () => {
    expect(stored).toBeUndefined();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ method: 'CANCEL', uid: 'review', originator: ORGANIZER, recipients: [ALICE, BOB, CAROL] });
    const message = new Parsed(messages[0].ical);
    expect(message.attendees()).toEqual([ALICE, BOB, CAROL]);
    expect(message.value('sequence')).toBe('3');
    expect(message.value('dtstart')).toBe('20260312T140000Z');
  });

  it("keeps each attendee's copy, cancelled, until they delete it", () => {
    const aliceCopy = applyRequest(undefined, organizerOutbox(undefined, everyone, olivia, { now: NOW }).messages[0].ical, calendarUserOf(ALICE)).ical;
    const copy = new Parsed(applyCancel(aliceCopy, messages[0].ical).ical);
    expect(copy.value('status')).toBe('CANCELLED');
    expect(copy.value('sequence')).toBe('3');
    expect(copy.value('summary')).toBe('Review');
  });

  it('cancels for everyone when the object stops being the organizer\'s scheduling object (ORGANIZER removed)', () => {
    const plain = everyone.replace(/ORGANIZER[^\r\n]*\r\n/, '');
    const { messages: cancels, stored: kept } = organizerOutbox(everyone, plain, olivia, { now: NOW });
    expect(cancels.map((m) => [m.method, m.recipients])).toEqual([['CANCEL', [ALICE, BOB, CAROL]]]);
    expect(kept).toBe(plain);
  });
});

describe('a CANCEL older than the copy', () => {
  it('is passed over: the copy stays as it is', () => {
    const copy = applyRequest(undefined, organizerOutbox(undefined, everyone, olivia, { now: NOW }).messages[0].ical, calendarUserOf(ALICE)).ical;
    const old = organizerOutbox(everyone, undefined, olivia, { now: NOW }).messages[0].ical.replace('SEQUENCE:3', 'SEQUENCE:1');
    expect(applyCancel(copy, old)).toEqual({ ical: copy, changed: false, consequential: false });
  });
});
