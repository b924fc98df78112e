import { applyRequest, attendeeOutbox, calendarUserOf, organizerOutbox, schedulingRoleOf, withAddressesReplaced } from './index';
import { ALICE, attendee, calendar, NOW, Parsed } from './testing/itip-fixtures';

/** Users written as their principals, as Apple Calendar and others may (calendar-user-address-set lists the principal URL). */
const OLIVIA_PRINCIPAL = '/dav/principals/users/7/';
const BEN_PRINCIPAL = 'https://dav.example.com/dav/principals/users/8/';
const olivia = calendarUserOf('mailto:olivia@example.com', OLIVIA_PRINCIPAL);
const ben = calendarUserOf('mailto:ben@example.com', BEN_PRINCIPAL);

const invitation = calendar(
  'BEGIN:VEVENT',
  'UID:principal-1',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20260301T090000Z',
  'DTEND:20260301T100000Z',
  'SUMMARY:Review',
  `ORGANIZER;CN=Olivia:${OLIVIA_PRINCIPAL}`,
  attendee(BEN_PRINCIPAL, 'CN=Ben'),
  attendee(ALICE, 'CN=Alice'),
  'END:VEVENT',
);

describe('users written as their principal URLs', () => {
  it('schedules with the addresses as the client wrote them: the organizer is recognised by their principal, attendees get it as written', () => {
    expect(schedulingRoleOf(invitation, olivia)).toBe('organizer');
    expect(schedulingRoleOf(invitation, ben)).toBe('attendee');
    const { messages } = organizerOutbox(undefined, invitation, olivia, { now: NOW });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ method: 'REQUEST', originator: OLIVIA_PRINCIPAL, recipients: [BEN_PRINCIPAL, ALICE] });
    const copy = applyRequest(undefined, messages[0].ical, ben, { now: NOW });
    expect(new Parsed(copy.ical).attendees()).toEqual([BEN_PRINCIPAL, ALICE]);
    const accepted = copy.ical.replace(`ATTENDEE;CN=Ben:${BEN_PRINCIPAL}`, `ATTENDEE;CN=Ben;PARTSTAT=ACCEPTED:${BEN_PRINCIPAL}`);
    const reply = attendeeOutbox(copy.ical, accepted, ben, { now: NOW }).messages;
    expect(reply).toMatchObject([{ method: 'REPLY', originator: BEN_PRINCIPAL, recipients: [OLIVIA_PRINCIPAL] }]);
  });

  it('writes them as their mailto: addresses for mail (iMIP), METHOD kept, everything else as it was', () => {
    const [request] = organizerOutbox(undefined, invitation, olivia, { now: NOW }).messages;
    const mailed = withAddressesReplaced(request, new Map([[OLIVIA_PRINCIPAL, 'mailto:olivia@example.com'], [BEN_PRINCIPAL, 'mailto:Ben@example.com']]));
    expect(mailed).toMatchObject({ method: 'REQUEST', uid: 'principal-1', originator: 'mailto:olivia@example.com', recipients: ['mailto:ben@example.com', ALICE] });
    const parsed = new Parsed(mailed.ical);
    expect(parsed.method).toBe('REQUEST');
    expect(parsed.attendees()).toEqual(['mailto:ben@example.com', ALICE]);
    expect(String(parsed.instance().getFirstPropertyValue('organizer'))).toBe('mailto:olivia@example.com');
    expect(parsed.instance().getFirstProperty('organizer')!.getParameter('cn')).toBe('Olivia');
    expect(withAddressesReplaced(request, new Map([['mailto:nobody@example.com', 'mailto:x@example.com']]))).toEqual(request);
  });
});
