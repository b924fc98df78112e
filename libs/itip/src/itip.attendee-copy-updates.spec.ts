import { applyRequest, calendarUserOf, organizerOutbox, scheduleStatusesOf, SchedulingRefused, withScheduleStatus } from './index';
import { ALICE, attendee, BOB, calendar, meeting, NOW, ORGANIZER, Parsed } from './testing/itip-fixtures';

const olivia = calendarUserOf(ORGANIZER);
const bob = calendarUserOf(BOB);
const SERIES = ['DTSTART:20260907T090000Z', 'DTEND:20260907T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=4', 'SUMMARY:Standup'];
const organizerCopy = calendar(...meeting('standup', 'SEQUENCE:1', ...SERIES, attendee(ALICE, 'PARTSTAT=ACCEPTED'), attendee(BOB, 'PARTSTAT=ACCEPTED')));
const requestOf = (text: string) => organizerOutbox(undefined, text, olivia, { now: NOW }).messages[0].ical;

/** Bob's copy: accepted, transparent, with his own override for the 14 September instance (an alarm of its own). */
const bobCopy = (() => {
  const copy = applyRequest(undefined, requestOf(organizerCopy), bob).ical;
  return copy.replace('SUMMARY:Standup', 'SUMMARY:Standup\r\nTRANSP:TRANSPARENT').replace(
    'END:VCALENDAR',
    [
      'BEGIN:VEVENT',
      'UID:standup',
      'DTSTAMP:20260101T000000Z',
      'SEQUENCE:1',
      'RECURRENCE-ID:20260914T090000Z',
      'DTSTART:20260914T090000Z',
      'DTEND:20260914T100000Z',
      'SUMMARY:Standup',
      `ORGANIZER;CN=Olivia:${ORGANIZER}`,
      attendee(ALICE, 'PARTSTAT=ACCEPTED'),
      attendee(BOB, 'PARTSTAT=TENTATIVE'),
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'DESCRIPTION:standup',
      'TRIGGER:-PT5M',
      'END:VALARM',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n'),
  );
})();

describe("an update of the series reaches an attendee's copy", () => {
  it("keeps the attendee's own override, rebuilt on the new series, and their TRANSP, on a change that is no reschedule", () => {
    const update = requestOf(organizerCopy.replace('SUMMARY:Standup', 'SUMMARY:Daily standup'));
    const applied = applyRequest(bobCopy, update, bob);
    expect(applied).toMatchObject({ changed: true, consequential: true });
    const copy = new Parsed(applied.ical);
    expect(copy.instances).toEqual(['', '20260914T090000Z']);
    expect(copy.value('summary', '20260914T090000Z')).toBe('Daily standup');
    expect(copy.partstat(BOB, '20260914T090000Z')).toBe('TENTATIVE');
    expect(copy.instance('20260914T090000Z').getAllSubcomponents('valarm')).toHaveLength(1);
    expect(copy.value('transp')).toBe('TRANSPARENT');
    expect(copy.partstat(BOB)).toBe('ACCEPTED');
  });

  it('drops that override and asks again when the series is rescheduled', () => {
    const moved = requestOf(organizerCopy.replace(/T090000Z/g, 'T080000Z').replace('SEQUENCE:1', 'SEQUENCE:2'));
    const copy = new Parsed(applyRequest(bobCopy, moved, bob).ical);
    expect(copy.instances).toEqual(['']);
    expect(copy.partstat(BOB)).toBe('NEEDS-ACTION');
  });

  it('passes over a REQUEST older than the copy (a lower SEQUENCE)', () => {
    const old = requestOf(organizerCopy.replace('SEQUENCE:1', 'SEQUENCE:0').replace('SUMMARY:Standup', 'SUMMARY:Old'));
    expect(applyRequest(bobCopy, old, bob)).toEqual({ ical: bobCopy, changed: false, consequential: false });
  });

  it("is inconsequential when only another attendee's answer changed (RFC 6638 3.2.10)", () => {
    const plain = applyRequest(undefined, requestOf(organizerCopy), bob).ical;
    const refreshed = requestOf(organizerCopy.replace('PARTSTAT=ACCEPTED:mailto:alice', 'PARTSTAT=DECLINED:mailto:alice'));
    const applied = applyRequest(plain, refreshed, bob);
    expect(applied).toMatchObject({ changed: true, consequential: false });
    expect(new Parsed(applied.ical).partstat(ALICE)).toBe('DECLINED');
  });

  it('updates only the instance a REQUEST of one instance carries', () => {
    const plain = applyRequest(undefined, requestOf(organizerCopy), bob).ical;
    const instanceOnly = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//x//y//EN',
      'METHOD:REQUEST',
      ...meeting('standup', 'SEQUENCE:2', 'RECURRENCE-ID:20260921T090000Z', 'DTSTART:20260921T130000Z', 'DTEND:20260921T140000Z', 'SUMMARY:Standup', attendee(ALICE), attendee(BOB, 'PARTSTAT=NEEDS-ACTION')),
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const copy = new Parsed(applyRequest(plain, instanceOnly, bob).ical);
    expect(copy.instances).toEqual(['', '20260921T090000Z']);
    expect(copy.value('dtstart', '20260921T090000Z')).toBe('20260921T130000Z');
    expect(copy.partstat(BOB)).toBe('ACCEPTED');
    expect(copy.partstat(BOB, '20260921T090000Z')).toBe('NEEDS-ACTION');
  });

  it("refuses a REQUEST from another organizer than the copy's, or one that does not name the attendee", () => {
    const hijack = requestOf(organizerCopy).replace(/mailto:olivia@example.com/g, 'mailto:mallory@example.com');
    expect(() => applyRequest(bobCopy, hijack, bob)).toThrow(expect.objectContaining({ condition: 'valid-organizer' }));
    expect(() => applyRequest(undefined, requestOf(organizerCopy), calendarUserOf('mailto:carol@example.com'))).toThrow(SchedulingRefused);
  });
});

describe('SCHEDULE-STATUS on a stored copy (RFC 6638 3.2.9, 7.3)', () => {
  it('sets it on the attendees and the organizer named, in every component, by any spelling', () => {
    const marked = new Parsed(withScheduleStatus(bobCopy, new Map([['MAILTO:Olivia@Example.com', '1.2'], [ALICE, '3.7']])));
    expect(marked.instance().getFirstProperty('organizer')?.getParameter('schedule-status')).toBe('1.2');
    expect(marked.parameter(ALICE, 'schedule-status')).toBe('3.7');
    expect(marked.parameter(ALICE, 'schedule-status', '20260914T090000Z')).toBe('3.7');
    expect(marked.parameter(BOB, 'schedule-status')).toBeUndefined();
  });

  it('leaves the text alone when nobody matches, and refuses what is no status code', () => {
    expect(withScheduleStatus(bobCopy, { 'mailto:nobody@example.com': '1.2' })).toBe(bobCopy);
    expect(() => withScheduleStatus(bobCopy, { [ALICE]: 'delivered' })).toThrow(SchedulingRefused);
  });

  it('reads it back per property naming the address, in any spelling; none for an address the copy does not name', () => {
    const marked = withScheduleStatus(bobCopy, { [ALICE]: '1.0' });
    expect(scheduleStatusesOf(marked, 'MAILTO:Alice@Example.com')).toEqual(['1.0', '1.0']);
    expect(scheduleStatusesOf(marked, BOB)).toEqual([undefined, undefined]);
    expect(scheduleStatusesOf(withScheduleStatus(marked, { [ORGANIZER]: '2.0' }), ORGANIZER)).toEqual(['2.0', '2.0']);
    expect(scheduleStatusesOf(marked, 'mailto:nobody@example.com')).toEqual([]);
  });
});

describe('a scheduled task (VTODO)', () => {
  it('resets PARTSTAT when its DUE moves', () => {
    const task = (due: string) =>
      calendar('BEGIN:VTODO', 'UID:task', 'DTSTAMP:20260101T000000Z', `ORGANIZER:${ORGANIZER}`, `DUE:${due}`, 'SUMMARY:Report', attendee(ALICE, 'PARTSTAT=ACCEPTED'), 'END:VTODO');
    const result = organizerOutbox(task('20261001T170000Z'), task('20261008T170000Z'), olivia, { now: NOW });
    expect(result.rescheduled).toBe(true);
    expect(result.messages.map((message) => [message.method, message.recipients])).toEqual([['REQUEST', [ALICE]]]);
    expect(new Parsed(result.messages[0].ical).components.map((component) => component.name)).toEqual(['vtodo']);
    expect(new Parsed(result.stored!).partstat(ALICE)).toBe('NEEDS-ACTION');
  });
});
