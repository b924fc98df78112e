import { attendeesOf, calendarAddress, calendarUserOf, isAddressOf, isSchedulingObject, organizerOf, participantsOf, schedulingRoleOf, SchedulingRefused } from './index';
import { ALICE, attendee, BOB, calendar, meeting, ORGANIZER } from './testing/itip-fixtures';

describe('calendar user addresses', () => {
  it.each([
    ['MAILTO:Alice@Example.COM', 'mailto:alice@example.com'],
    ['  mailto:alice@example.com ', 'mailto:alice@example.com'],
    ['mailto: Alice@example.com', 'mailto:alice@example.com'],
    ['alice@example.com', 'mailto:alice@example.com'],
    ['urn:uuid:6F1C2E9A-0000-4000-8000-00AA00BB00CC', 'urn:uuid:6f1c2e9a-0000-4000-8000-00aa00bb00cc'],
    ['HTTPS://dav.example.com/principals/Alice/', 'https://dav.example.com/principals/Alice/'],
  ])('folds %s to %s', (address, folded) => {
    expect(calendarAddress(address)).toBe(folded);
  });

  it('gives a user every address once, the first leading, and recognises each spelling', () => {
    const user = calendarUserOf('mailto:Ann@example.com', 'ann@example.com', 'urn:uuid:ABC');
    expect(user).toEqual({ address: 'mailto:ann@example.com', addresses: ['mailto:ann@example.com', 'urn:uuid:abc'] });
    expect(isAddressOf(user, 'MAILTO:ANN@EXAMPLE.COM')).toBe(true);
    expect(isAddressOf(user, 'urn:uuid:abc')).toBe(true);
    expect(isAddressOf(user, 'mailto:anne@example.com')).toBe(false);
  });
});

describe('what kind of object a calendar holds (RFC 6638 3.1)', () => {
  const invitation = calendar(...meeting('m', 'DTSTART:20260301T090000Z', attendee('MAILTO:Olivia@example.com'), attendee(ALICE), attendee('Bob@Example.com')));
  const alone = calendar(...meeting('m', 'DTSTART:20260301T090000Z', attendee(ORGANIZER)));
  const personal = calendar('BEGIN:VEVENT', 'UID:p', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260301T090000Z', 'END:VEVENT');

  it('reads the organizer and the attendees, normalised', () => {
    expect(organizerOf(invitation)).toBe(ORGANIZER);
    expect(attendeesOf(invitation)).toEqual([ORGANIZER, ALICE, BOB]);
    expect(organizerOf(personal)).toBeUndefined();
  });

  it('reads the same of an iTIP message of the method given, and refuses one of another method', () => {
    const request = invitation.replace('VERSION:2.0', 'VERSION:2.0\r\nMETHOD:REQUEST');
    expect(participantsOf(request, 'REQUEST')).toEqual({ uid: 'm', organizer: ORGANIZER, attendees: [ORGANIZER, ALICE, BOB] });
    expect(() => participantsOf(request, 'CANCEL')).toThrow(SchedulingRefused);
    expect(() => participantsOf(invitation, 'REQUEST')).toThrow(SchedulingRefused);
  });

  it('is a scheduling object only with an organizer and an attendee besides them', () => {
    expect(isSchedulingObject(invitation)).toBe(true);
    expect(isSchedulingObject(alone)).toBe(false);
    expect(isSchedulingObject(personal)).toBe(false);
  });

  it("tells the organizer's copy from an attendee's, and neither from a stranger's", () => {
    expect(schedulingRoleOf(invitation, calendarUserOf('mailto:o@example.net', ORGANIZER))).toBe('organizer');
    expect(schedulingRoleOf(invitation, calendarUserOf(BOB))).toBe('attendee');
    expect(schedulingRoleOf(invitation, calendarUserOf('mailto:carol@example.com'))).toBeUndefined();
    expect(schedulingRoleOf(alone, calendarUserOf(ORGANIZER))).toBeUndefined();
  });

  it('refuses an object whose components name different organizers', () => {
    const mixed = invitation.replace('END:VCALENDAR', ['BEGIN:VEVENT', 'UID:m', 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID:20260308T090000Z', 'DTSTART:20260308T090000Z', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n'));
    expect(() => isSchedulingObject(mixed)).toThrow(SchedulingRefused);
  });
});
