import { applyCancel, applyRequest, calendarUserOf, organizerOutbox, reissued } from './index';
import { ALICE, attendee, calendar, meeting, NOW, ORGANIZER, Parsed } from './testing/itip-fixtures';

const olivia = calendarUserOf(ORGANIZER);
const alice = calendarUserOf(ALICE);
const event = calendar(...meeting('back-1', 'SEQUENCE:2', 'DTSTART:20260301T090000Z', 'DTEND:20260301T100000Z', attendee(ALICE)));

describe('an organizer\'s meeting that comes back after its cancellation (a MOVE out of and into their calendars)', () => {
  const invited = applyRequest(undefined, organizerOutbox(undefined, event, olivia, { now: NOW }).messages[0].ical, alice, { now: NOW }).ical;
  const [cancel] = organizerOutbox(event, undefined, olivia, { now: NOW }).messages;
  const cancelled = applyCancel(invited, cancel.ical, { now: NOW }).ical;

  it('is passed over by the attendee as it was: the cancellation was sent one SEQUENCE above it', () => {
    expect(new Parsed(cancel.ical).instance().getFirstPropertyValue('sequence')).toBe(3);
    const [request] = organizerOutbox(undefined, event, olivia, { now: NOW }).messages;
    expect(applyRequest(cancelled, request.ical, alice, { now: NOW }).ical).toContain('STATUS:CANCELLED');
  });

  it('stands again for the attendee when issued anew, one SEQUENCE above the highest it holds', () => {
    const again = reissued(event);
    expect(new Parsed(again).instance().getFirstPropertyValue('sequence')).toBe(3);
    const [request] = organizerOutbox(undefined, again, olivia, { now: NOW }).messages;
    const copy = applyRequest(cancelled, request.ical, alice, { now: NOW });
    expect(copy.ical).not.toContain('STATUS:CANCELLED');
    expect(copy.changed).toBe(true);
  });
});
