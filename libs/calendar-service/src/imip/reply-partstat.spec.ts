import { parseVcalendar } from '@davmesh/ical';
import { EUROPE_BERLIN, vcalendar } from '@davmesh/testing';
import { applyReplyPartstat, readItipReply } from './reply-partstat';

const ORGANIZER = 'ORGANIZER;CN=Anna:mailto:anna@example.org';

const organizerCopy = (...extra: string[]) =>
  vcalendar(
    ...EUROPE_BERLIN,
    'BEGIN:VEVENT',
    'UID:weekly-1',
    'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=Europe/Berlin:20260302T100000',
    'DTEND;TZID=Europe/Berlin:20260302T110000',
    'RRULE:FREQ=WEEKLY;COUNT=10',
    'SUMMARY:Weekly sync',
    'SEQUENCE:2',
    'X-SOMETHING-ELSE:kept',
    ORGANIZER,
    'ATTENDEE;CN=Anna;PARTSTAT=ACCEPTED:mailto:anna@example.org',
    'ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@partner.example',
    'ATTENDEE;CN=Carl;PARTSTAT=NEEDS-ACTION:mailto:carl@partner.example',
    'END:VEVENT',
    ...extra,
  );

const reply = (partstat: string, ...props: string[]) =>
  vcalendar(
    'METHOD:REPLY',
    'BEGIN:VEVENT',
    'UID:weekly-1',
    'DTSTAMP:20260105T000000Z',
    'SEQUENCE:2',
    ORGANIZER,
    `ATTENDEE;CN=Bob;PARTSTAT=${partstat}:mailto:Bob@Partner.example`,
    ...props,
    'END:VEVENT',
  );

/** PARTSTAT per attendee, per component (master first, then overrides by RECURRENCE-ID). */
function partstats(ical: string): Record<string, Record<string, string>> {
  const root = parseVcalendar(ical);
  return Object.fromEntries(
    root.getAllSubcomponents('vevent').map((c) => [
      c.getFirstProperty('recurrence-id')?.toICALString() ?? 'master',
      Object.fromEntries(c.getAllProperties('attendee').map((a) => [String(a.getFirstValue()), String(a.getParameter('partstat'))])),
    ]),
  );
}

describe('iMIP reply: the attendee\'s PARTSTAT on the organizer\'s copy', () => {
  it('reads the one attendee, the organizer and the answer of a REPLY, addresses in lower case', () => {
    expect(readItipReply(reply('ACCEPTED'))).toMatchObject({
      uid: 'weekly-1',
      organizer: 'anna@example.org',
      attendee: 'bob@partner.example',
      answers: [{ partstat: 'ACCEPTED', sequence: 2 }],
    });
  });

  it('refuses what is not a REPLY of one attendee', () => {
    expect(() => readItipReply(reply('ACCEPTED').replace('METHOD:REPLY', 'METHOD:REQUEST'))).toThrow(expect.objectContaining({ condition: 'not-a-reply' }));
    expect(() => readItipReply(reply('ACCEPTED', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:carl@partner.example'))).toThrow(/exactly one ATTENDEE/);
    expect(() => readItipReply(reply('ACCEPTED').replace(`${ORGANIZER}\r\n`, ''))).toThrow(/one ORGANIZER/);
    expect(() => readItipReply('not iCalendar')).toThrow(expect.objectContaining({ condition: 'not-a-reply' }));
  });

  it('changes that attendee\'s PARTSTAT on the master and nothing else', () => {
    const applied = applyReplyPartstat(organizerCopy(), readItipReply(reply('ACCEPTED')));
    expect(applied).toMatchObject({ changed: true, outdated: false });
    expect(partstats(applied.ical)).toEqual({
      master: { 'mailto:anna@example.org': 'ACCEPTED', 'mailto:bob@partner.example': 'ACCEPTED', 'mailto:carl@partner.example': 'NEEDS-ACTION' },
    });
    expect(applied.ical).toContain('X-SOMETHING-ELSE:kept');
    expect(applied.ical).toContain('RRULE:FREQ=WEEKLY;COUNT=10');
    expect(applied.ical).toContain('RSVP=TRUE');
  });

  it('leaves the copy as it is when the PARTSTAT is the same, or when the reply answers an older SEQUENCE', () => {
    const copy = organizerCopy();
    expect(applyReplyPartstat(copy, readItipReply(reply('NEEDS-ACTION')))).toEqual({ ical: copy, changed: false, outdated: false });
    expect(applyReplyPartstat(copy, readItipReply(reply('DECLINED').replace('SEQUENCE:2', 'SEQUENCE:1')))).toEqual({ ical: copy, changed: false, outdated: true });
  });

  it('answers one instance on its override, and makes the override from the master where the copy has none', () => {
    const override = [
      'BEGIN:VEVENT',
      'UID:weekly-1',
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID;TZID=Europe/Berlin:20260309T100000',
      'DTSTART;TZID=Europe/Berlin:20260309T140000',
      'DTEND;TZID=Europe/Berlin:20260309T150000',
      'SEQUENCE:2',
      ORGANIZER,
      'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@partner.example',
      'END:VEVENT',
    ];
    const moved = applyReplyPartstat(organizerCopy(...override), readItipReply(reply('DECLINED', 'RECURRENCE-ID;TZID=Europe/Berlin:20260309T100000')));
    expect(partstats(moved.ical)).toMatchObject({
      master: { 'mailto:bob@partner.example': 'NEEDS-ACTION' },
      'RECURRENCE-ID;TZID=Europe/Berlin:20260309T100000': { 'mailto:bob@partner.example': 'DECLINED' },
    });

    // The same instant in UTC names the same instance.
    const made = applyReplyPartstat(organizerCopy(), readItipReply(reply('TENTATIVE', 'RECURRENCE-ID:20260316T090000Z')));
    expect(made.changed).toBe(true);
    const instance = parseVcalendar(made.ical).getAllSubcomponents('vevent').find((c) => c.hasProperty('recurrence-id'))!;
    expect(instance.getFirstProperty('dtstart')!.toICALString()).toBe('DTSTART:20260316T090000Z');
    expect(instance.getFirstProperty('dtend')!.toICALString()).toBe('DTEND:20260316T100000Z');
    expect(instance.hasProperty('rrule')).toBe(false);
    expect(partstats(made.ical)).toMatchObject({
      master: { 'mailto:bob@partner.example': 'NEEDS-ACTION' },
      'RECURRENCE-ID:20260316T090000Z': { 'mailto:bob@partner.example': 'TENTATIVE', 'mailto:carl@partner.example': 'NEEDS-ACTION' },
    });
  });

  it('refuses an instance the series does not have, and an attendee who is not invited', () => {
    expect(() => applyReplyPartstat(organizerCopy(), readItipReply(reply('ACCEPTED', 'RECURRENCE-ID;TZID=Europe/Berlin:20260310T100000')))).toThrow(
      expect.objectContaining({ condition: 'unknown-event' }),
    );
    const stranger = readItipReply(reply('ACCEPTED').replace('mailto:Bob@Partner.example', 'mailto:eve@elsewhere.example'));
    expect(() => applyReplyPartstat(organizerCopy(), stranger)).toThrow(expect.objectContaining({ condition: 'not-an-attendee' }));
  });
});
