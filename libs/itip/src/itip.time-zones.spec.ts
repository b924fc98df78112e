import { EUROPE_BERLIN } from '@davmesh/testing';
import { applyRequest, attendeeOutbox, calendarUserOf, organizerOutbox } from './index';
import { ALICE, attendee, calendar, meeting, NOW, ORGANIZER, Parsed } from './testing/itip-fixtures';

const olivia = calendarUserOf(ORGANIZER);
const alice = calendarUserOf(ALICE);
const NEW_YORK = ['BEGIN:VTIMEZONE', 'TZID:America/New_York', 'BEGIN:STANDARD', 'DTSTART:19701101T020000', 'TZOFFSETFROM:-0400', 'TZOFFSETTO:-0500', 'END:STANDARD', 'END:VTIMEZONE'];

describe('VTIMEZONEs in messages (RFC 5545 3.6.5)', () => {
  it('carries the VTIMEZONE the event defines and uses, and not one it defines without using', () => {
    const text = calendar(...EUROPE_BERLIN, ...NEW_YORK, ...meeting('tz', 'DTSTART;TZID=Europe/Berlin:20260701T090000', 'DTEND;TZID=Europe/Berlin:20260701T100000', attendee(ALICE)));
    const message = new Parsed(organizerOutbox(undefined, text, olivia, { now: NOW }).messages[0].ical);
    expect(message.zones).toEqual(['Europe/Berlin']);
    const defined = message.root.getFirstSubcomponent('vtimezone')!;
    expect(defined.getAllSubcomponents().map((observance) => observance.name)).toEqual(['standard', 'daylight']);
  });

  it('writes a VTIMEZONE for a zone the event names without defining, under the name it uses', () => {
    const text = calendar(...meeting('tz', 'DTSTART;TZID=W. Europe Standard Time:20260701T090000', 'DURATION:PT1H', attendee(ALICE)));
    const request = organizerOutbox(undefined, text, olivia, { now: NOW }).messages[0];
    const message = new Parsed(request.ical);
    expect(message.zones).toEqual(['W. Europe Standard Time']);
    // The attendee's copy reads the time in that zone: 09:00 in Berlin's summer is 07:00 UTC.
    const copy = new Parsed(applyRequest(undefined, request.ical, alice).ical);
    expect(copy.instance().getFirstPropertyValue('dtstart')?.toString()).toBe('2026-07-01T09:00:00');
    expect((copy.instance().getFirstPropertyValue('dtstart') as unknown as { toJSDate(): Date }).toJSDate().toISOString()).toBe('2026-07-01T07:00:00.000Z');
  });

  it('carries no VTIMEZONE for an event in UTC', () => {
    const text = calendar(...EUROPE_BERLIN, ...meeting('tz', 'DTSTART:20260701T090000Z', attendee(ALICE)));
    expect(new Parsed(organizerOutbox(undefined, text, olivia, { now: NOW }).messages[0].ical).zones).toEqual([]);
  });

  it("carries the zone of an instance's RECURRENCE-ID in a REPLY", () => {
    const series = calendar(...EUROPE_BERLIN, ...meeting('tz', 'DTSTART;TZID=Europe/Berlin:20260701T090000', 'RRULE:FREQ=DAILY;COUNT=3', attendee(ALICE, 'PARTSTAT=ACCEPTED')));
    const declined = series.replace(
      'END:VCALENDAR',
      ['BEGIN:VEVENT', 'UID:tz', 'DTSTAMP:20260101T000000Z', `ORGANIZER:${ORGANIZER}`, 'RECURRENCE-ID;TZID=Europe/Berlin:20260702T090000', 'DTSTART;TZID=Europe/Berlin:20260702T090000', attendee(ALICE, 'PARTSTAT=DECLINED'), 'END:VEVENT', 'END:VCALENDAR'].join('\r\n'),
    );
    const reply = new Parsed(attendeeOutbox(series, declined, alice, { now: NOW }).messages[0].ical);
    expect(reply.instances).toEqual(['20260702T090000']);
    expect(reply.zones).toEqual(['Europe/Berlin']);
  });
});
