import { EUROPE_BERLIN } from '@davmesh/testing';
import { applyCancel, applyReply, applyRequest, attendeeOutbox, calendarUserOf, organizerOutbox, type ItipMessage } from './index';
import { ALICE, attendee, BOB, CAROL, calendar, meeting, NOW, ORGANIZER, Parsed } from './testing/itip-fixtures';

const olivia = calendarUserOf(ORGANIZER);
const alice = calendarUserOf(ALICE);
const bob = calendarUserOf(BOB);

const SERIES = ['DTSTART;TZID=Europe/Berlin:20260302T100000', 'DTEND;TZID=Europe/Berlin:20260302T110000', 'RRULE:FREQ=WEEKLY;COUNT=5', 'SUMMARY:Weekly'];
const chair = attendee(ORGANIZER, 'PARTSTAT=ACCEPTED');
const weekly = (master: string[], ...overrides: string[][]) => calendar(...EUROPE_BERLIN, ...meeting('weekly', ...SERIES, ...master), ...overrides.flat());
const moved = (partstat: string, ...extra: string[]) =>
  meeting(
    'weekly',
    'RECURRENCE-ID;TZID=Europe/Berlin:20260316T100000',
    'DTSTART;TZID=Europe/Berlin:20260316T140000',
    'DTEND;TZID=Europe/Berlin:20260316T150000',
    'SUMMARY:Weekly',
    chair,
    attendee(ALICE, `PARTSTAT=${partstat}`),
    ...extra,
  );

const accepted = weekly([chair, attendee(ALICE, 'PARTSTAT=ACCEPTED'), attendee(BOB, 'PARTSTAT=ACCEPTED')]);
const byMethod = (messages: ItipMessage[]) => messages.map((message) => [message.method, message.recipients, new Parsed(message.ical).instances]);

describe('a weekly series with one instance moved', () => {
  const withMove = weekly([chair, attendee(ALICE, 'PARTSTAT=ACCEPTED'), attendee(BOB, 'PARTSTAT=ACCEPTED')], moved('ACCEPTED', attendee(BOB, 'PARTSTAT=ACCEPTED')));
  const result = organizerOutbox(accepted, withMove, olivia, { now: NOW });

  it('sends a REQUEST carrying the master and the override, with the zone they use', () => {
    expect(byMethod(result.messages)).toEqual([['REQUEST', [ALICE, BOB], ['', '20260316T100000']]]);
    expect(new Parsed(result.messages[0].ical).zones).toEqual(['Europe/Berlin']);
  });

  it('resets PARTSTAT on the moved instance only, and raises its SEQUENCE', () => {
    expect(result.rescheduled).toBe(true);
    const stored = new Parsed(result.stored!);
    expect(stored.partstat(ALICE)).toBe('ACCEPTED');
    expect(stored.partstat(ALICE, '20260316T100000')).toBe('NEEDS-ACTION');
    expect(stored.partstat(BOB, '20260316T100000')).toBe('NEEDS-ACTION');
    expect(stored.value('sequence', '20260316T100000')).toBe('1');
    expect(stored.value('sequence')).toBeUndefined();
  });

  it("gives the attendee's copy the moved instance, NEEDS-ACTION there, ACCEPTED on the series", () => {
    const aliceCopy = applyRequest(undefined, organizerOutbox(undefined, accepted, olivia, { now: NOW }).messages[0].ical, alice).ical;
    const copy = new Parsed(applyRequest(aliceCopy, result.messages[0].ical, alice).ical);
    expect(copy.instances).toEqual(['', '20260316T100000']);
    expect(copy.value('dtstart', '20260316T100000')).toBe('20260316T140000');
    expect(copy.partstat(ALICE, '20260316T100000')).toBe('NEEDS-ACTION');
  });
});

describe('an attendee declines one instance', () => {
  const invitation = organizerOutbox(undefined, accepted, olivia, { now: NOW }).messages[0];
  const bobCopy = applyRequest(undefined, invitation.ical, bob).ical;
  const declinedOne = bobCopy.replace(
    'END:VCALENDAR',
    [
      'BEGIN:VEVENT',
      'UID:weekly',
      'DTSTAMP:20260201T000000Z',
      'RECURRENCE-ID;TZID=Europe/Berlin:20260309T100000',
      ...SERIES.filter((line) => !line.startsWith('RRULE')).map((line) => line.replace('20260302', '20260309')),
      `ORGANIZER;CN=Olivia:${ORGANIZER}`,
      chair,
      attendee(ALICE, 'PARTSTAT=ACCEPTED'),
      attendee(BOB, 'PARTSTAT=DECLINED'),
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n'),
  );
  const { messages, disallowed } = attendeeOutbox(bobCopy, declinedOne, bob, { now: NOW });

  it('sends a REPLY with that RECURRENCE-ID, DECLINED, and nothing for the series', () => {
    expect(disallowed).toEqual([]);
    expect(byMethod(messages)).toEqual([['REPLY', [ORGANIZER], ['20260309T100000']]]);
    const reply = new Parsed(messages[0].ical);
    expect(reply.attendees('20260309T100000')).toEqual([BOB]);
    expect(reply.partstat(BOB, '20260309T100000')).toBe('DECLINED');
  });

  it("creates the instance's override on the organizer copy with Bob DECLINED there only", () => {
    const applied = applyReply(accepted, messages[0].ical);
    expect(applied).toMatchObject({ changed: true, consequential: false, attendee: BOB });
    const stored = new Parsed(applied.ical);
    expect(stored.instances).toEqual(['', '20260309T100000']);
    expect(stored.partstat(BOB, '20260309T100000')).toBe('DECLINED');
    expect(stored.parameter(BOB, 'schedule-status', '20260309T100000')).toBe('2.0');
    expect(stored.partstat(ALICE, '20260309T100000')).toBe('ACCEPTED');
    expect(stored.partstat(BOB)).toBe('ACCEPTED');
    expect(stored.value('dtstart', '20260309T100000')).toBe('20260309T100000');
    expect(stored.value('dtend', '20260309T100000')).toBe('20260309T110000');
    expect(stored.instance('20260309T100000').getFirstProperty('rrule')).toBeNull();
  });

  it('declines by EXDATE as well (RFC 6638 3.2.2.3)', () => {
    const excluded = bobCopy.replace('RRULE:FREQ=WEEKLY;COUNT=5', 'RRULE:FREQ=WEEKLY;COUNT=5\r\nEXDATE;TZID=Europe/Berlin:20260323T100000');
    const reply = attendeeOutbox(bobCopy, excluded, bob, { now: NOW });
    expect(byMethod(reply.messages)).toEqual([['REPLY', [ORGANIZER], ['20260323T090000Z']]]);
    expect(new Parsed(reply.messages[0].ical).partstat(BOB, '20260323T090000Z')).toBe('DECLINED');
    expect(reply.disallowed).toEqual([]);
  });

  it('passes over a reply for an instance the series does not have', () => {
    const nowhere = messages[0].ical.replace(/20260309T100000/g, '20260310T100000');
    expect(applyReply(accepted, nowhere)).toMatchObject({ ical: accepted, changed: false });
  });
});

describe('the organizer cancels one instance with an EXDATE', () => {
  const excluded = accepted.replace('RRULE:FREQ=WEEKLY;COUNT=5', 'RRULE:FREQ=WEEKLY;COUNT=5\r\nEXDATE;TZID=Europe/Berlin:20260323T100000');
  const result = organizerOutbox(accepted, excluded, olivia, { now: NOW });

  it('sends a CANCEL of that instance to every attendee, and no REQUEST for it', () => {
    expect(byMethod(result.messages)).toEqual([['CANCEL', [ALICE, BOB], ['20260323T090000Z']]]);
    const cancel = new Parsed(result.messages[0].ical);
    expect(cancel.value('sequence', '20260323T090000Z')).toBe('1');
    expect(cancel.value('status', '20260323T090000Z')).toBe('CANCELLED');
  });

  it("excludes the instance on the attendee's copy", () => {
    const aliceCopy = applyRequest(undefined, organizerOutbox(undefined, accepted, olivia, { now: NOW }).messages[0].ical, alice).ical;
    const applied = applyCancel(aliceCopy, result.messages[0].ical);
    expect(new Parsed(applied.ical).values('exdate')).toEqual(['20260323T100000']);
    expect(new Parsed(applied.ical).instance().getFirstProperty('exdate')?.getParameter('tzid')).toBe('Europe/Berlin');
  });
});

describe('the organizer takes one attendee out of one instance', () => {
  const both = weekly([chair, attendee(ALICE, 'PARTSTAT=ACCEPTED'), attendee(BOB, 'PARTSTAT=ACCEPTED')], moved('ACCEPTED', attendee(BOB, 'PARTSTAT=ACCEPTED')));
  const aliceOnly = weekly([chair, attendee(ALICE, 'PARTSTAT=ACCEPTED'), attendee(BOB, 'PARTSTAT=ACCEPTED')], moved('ACCEPTED'));
  const result = organizerOutbox(both, aliceOnly, olivia, { now: NOW });

  it('cancels that instance for them, and tells the other the new attendee list', () => {
    expect(byMethod(result.messages)).toEqual([
      ['CANCEL', [BOB], ['20260316T100000']],
      ['REQUEST', [ALICE], ['', '20260316T100000']],
    ]);
  });

  it('sends them from then on the series with that instance excluded (RFC 6638 3.2.6)', () => {
    const described = organizerOutbox(aliceOnly, aliceOnly.replace('SUMMARY:Weekly', 'SUMMARY:Weekly\r\nDESCRIPTION:Agenda'), olivia, { now: NOW });
    const toBob = described.messages.find((message) => message.recipients.includes(BOB))!;
    const message = new Parsed(toBob.ical);
    expect(message.instances).toEqual(['']);
    expect(message.values('exdate')).toEqual(['20260316T090000Z']);
  });
});

describe('the organizer takes an attendee off the series but keeps them in one instance', () => {
  it('cancels the series for them, then invites them to that instance', () => {
    const both = weekly([chair, attendee(ALICE, 'PARTSTAT=ACCEPTED'), attendee(BOB, 'PARTSTAT=ACCEPTED')], moved('ACCEPTED', attendee(BOB, 'PARTSTAT=ACCEPTED')));
    const instanceOnly = weekly([chair, attendee(ALICE, 'PARTSTAT=ACCEPTED')], moved('ACCEPTED', attendee(BOB, 'PARTSTAT=ACCEPTED')));
    const result = organizerOutbox(both, instanceOnly, olivia, { now: NOW });
    expect(byMethod(result.messages)).toEqual([
      ['CANCEL', [BOB], ['']],
      ['REQUEST', [ALICE], ['', '20260316T100000']],
      ['REQUEST', [BOB], ['20260316T100000']],
    ]);
    const bobCopy = applyRequest(undefined, organizerOutbox(undefined, both, olivia, { now: NOW }).messages[0].ical, bob).ical;
    const cancelled = applyCancel(bobCopy, result.messages[0].ical).ical;
    const copy = new Parsed(applyRequest(cancelled, result.messages[2].ical, bob).ical);
    expect(copy.value('status')).toBe('CANCELLED');
    expect(copy.value('status', '20260316T100000')).toBeUndefined();
    expect(copy.partstat(BOB, '20260316T100000')).toBe('ACCEPTED');
  });
});

describe('an attendee invited to one instance only', () => {
  const oneOff = weekly([chair, attendee(ALICE, 'PARTSTAT=ACCEPTED')], moved('ACCEPTED', attendee(CAROL)));
  const result = organizerOutbox(undefined, oneOff, olivia, { now: NOW });

  it('is sent that instance alone', () => {
    expect(byMethod(result.messages)).toEqual([
      ['REQUEST', [ALICE], ['', '20260316T100000']],
      ['REQUEST', [CAROL], ['20260316T100000']],
    ]);
  });

  it('gets a copy of that instance alone, and its CANCEL when the organizer deletes the series', () => {
    const carol = calendarUserOf(CAROL);
    const copy = applyRequest(undefined, result.messages[1].ical, carol).ical;
    expect(new Parsed(copy).instances).toEqual(['20260316T100000']);
    const deleted = organizerOutbox(oneOff, undefined, olivia, { now: NOW });
    const cancel = deleted.messages.find((message) => message.recipients.includes(CAROL))!;
    expect(new Parsed(cancel.ical).instances).toEqual(['20260316T100000']);
    expect(new Parsed(applyCancel(copy, cancel.ical).ical).value('status', '20260316T100000')).toBe('CANCELLED');
  });
});
