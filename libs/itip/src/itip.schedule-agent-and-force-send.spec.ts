import { attendeeOutbox, calendarUserOf, organizerOutbox, applyRequest } from './index';
import { ALICE, attendee, BOB, calendar, meeting, NOW, ORGANIZER, Parsed } from './testing/itip-fixtures';

const olivia = calendarUserOf(ORGANIZER);
const bob = calendarUserOf(BOB);
const event = (...attendees: string[]) => calendar(...meeting('sync', 'DTSTART:20260401T080000Z', 'DTEND:20260401T083000Z', 'SUMMARY:Sync', ...attendees));
const methods = (messages: { method: string; recipients: string[] }[]) => messages.map((message) => [message.method, message.recipients]);

describe('SCHEDULE-AGENT on attendees (RFC 6638 3.2.1, 7.1)', () => {
  it.each([
    ['CLIENT', 'SCHEDULE-AGENT=CLIENT'],
    ['NONE', 'SCHEDULE-AGENT=NONE'],
    ['an unknown value, taken as NONE', 'SCHEDULE-AGENT=X-SOMEONE-ELSE'],
  ])('sends nothing to an attendee with %s, on create, change and delete', (_, agent) => {
    const first = event(attendee(ALICE, agent));
    const second = first.replace('SUMMARY:Sync', 'SUMMARY:Sync moved');
    expect(organizerOutbox(undefined, first, olivia, { now: NOW }).messages).toEqual([]);
    expect(organizerOutbox(first, second, olivia, { now: NOW }).messages).toEqual([]);
    expect(organizerOutbox(second, undefined, olivia, { now: NOW }).messages).toEqual([]);
  });

  it('cancels for an attendee whose agent turns from SERVER to CLIENT, and invites one turning back (the 3.2.1.2 table)', () => {
    const server = event(attendee(ALICE), attendee(BOB));
    const client = event(attendee(ALICE, 'SCHEDULE-AGENT=CLIENT'), attendee(BOB));
    expect(methods(organizerOutbox(server, client, olivia, { now: NOW }).messages)).toEqual([['CANCEL', [ALICE]]]);
    expect(methods(organizerOutbox(client, server, olivia, { now: NOW }).messages)).toEqual([['REQUEST', [ALICE]]]);
  });

  it('never schedules with the organizer, by any spelling of their address, nor with their other addresses', () => {
    const both = calendarUserOf(ORGANIZER, 'mailto:o.smith@example.com');
    const text = event(attendee('MAILTO:Olivia@Example.com', 'PARTSTAT=ACCEPTED'), attendee('mailto:o.smith@example.com'), attendee(ALICE));
    expect(methods(organizerOutbox(undefined, text, both, { now: NOW }).messages)).toEqual([['REQUEST', [ALICE]]]);
  });

  it('is left out of every message, as SCHEDULE-STATUS is (RFC 6638 7.1, 7.3)', () => {
    const text = event(attendee(ALICE, 'SCHEDULE-AGENT=SERVER', 'SCHEDULE-STATUS=1.2'), attendee(BOB, 'SCHEDULE-AGENT=CLIENT', 'SCHEDULE-STATUS="2.0,2.4"'));
    const [request] = organizerOutbox(undefined, text.replace('ORGANIZER;CN=Olivia', 'ORGANIZER;CN=Olivia;SCHEDULE-AGENT=SERVER'), olivia, { now: NOW }).messages;
    expect(request.recipients).toEqual([ALICE]);
    expect(request.ical).not.toMatch(/SCHEDULE-/);
    expect(new Parsed(request.ical).attendees()).toEqual([ALICE, BOB]);
  });
});

describe('SCHEDULE-FORCE-SEND (RFC 6638 3.2.7, 7.2)', () => {
  const plain = event(attendee(ALICE, 'PARTSTAT=DECLINED'), attendee(BOB, 'PARTSTAT=ACCEPTED'));

  it('sends a REQUEST to the marked attendee though nothing changed, and the stored copy loses the parameter', () => {
    const forced = plain.replace('ATTENDEE;PARTSTAT=DECLINED', 'ATTENDEE;PARTSTAT=DECLINED;SCHEDULE-FORCE-SEND=REQUEST');
    const result = organizerOutbox(plain, forced, olivia, { now: NOW });
    expect(methods(result.messages)).toEqual([['REQUEST', [ALICE]]]);
    expect(result.stored).not.toMatch(/SCHEDULE-FORCE-SEND/);
    expect(result.messages[0].ical).not.toMatch(/SCHEDULE-FORCE-SEND/);
    expect(new Parsed(result.stored!).partstat(ALICE)).toBe('DECLINED');
  });

  it("sends a REPLY when an attendee marks the organizer, with their PARTSTAT as it stands", () => {
    const bobCopy = applyRequest(undefined, organizerOutbox(undefined, plain, olivia, { now: NOW }).messages[0].ical, bob).ical;
    const forced = bobCopy.replace(`ORGANIZER;CN=Olivia:${ORGANIZER}`, `ORGANIZER;CN=Olivia;SCHEDULE-FORCE-SEND=REPLY:${ORGANIZER}`);
    const result = attendeeOutbox(bobCopy, forced, bob, { now: NOW });
    expect(methods(result.messages)).toEqual([['REPLY', [ORGANIZER]]]);
    expect(new Parsed(result.messages[0].ical).partstat(BOB)).toBe('ACCEPTED');
    expect(result.stored).not.toMatch(/SCHEDULE-FORCE-SEND/);
  });
});

describe('SCHEDULE-AGENT on the ORGANIZER of an attendee copy (RFC 6638 3.2.2.3, 3.2.2.4)', () => {
  it.each(['CLIENT', 'NONE'])('sends no REPLY with %s, neither for a PARTSTAT change nor for a removal', (agent) => {
    const copy = event(attendee(BOB, 'PARTSTAT=NEEDS-ACTION')).replace('ORGANIZER;CN=Olivia', `ORGANIZER;CN=Olivia;SCHEDULE-AGENT=${agent}`);
    const accepted = copy.replace('PARTSTAT=NEEDS-ACTION', 'PARTSTAT=ACCEPTED');
    expect(attendeeOutbox(copy, accepted, bob, { now: NOW }).messages).toEqual([]);
    expect(attendeeOutbox(copy, undefined, bob, { now: NOW }).messages).toEqual([]);
  });
});
