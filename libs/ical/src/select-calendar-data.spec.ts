import { type CalendarDataComp } from '@davmesh/contracts';
import { ABCD2, ABCD3, US_EASTERN } from '@davmesh/testing';
import { selectCalendarData } from './select-calendar-data';

const ics = (...lines: string[]) => [...lines, ''].join('\r\n');

/** The calendar-data of RFC 4791 7.8.1. */
const RFC_7_8_1: CalendarDataComp = {
  name: 'VCALENDAR',
  props: [{ name: 'VERSION' }],
  comps: [
    {
      name: 'VEVENT',
      props: ['SUMMARY', 'UID', 'DTSTART', 'DTEND', 'DURATION', 'RRULE', 'RDATE', 'EXRULE', 'EXDATE', 'RECURRENCE-ID'].map((name) => ({ name })),
    },
    { name: 'VTIMEZONE' },
  ],
};

const TASK = ics(
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Example Corp.//CalDAV Client//EN',
  'BEGIN:VTODO',
  'DTSTAMP:20060205T235335Z',
  'DUE;VALUE=DATE:20060104',
  'ATTENDEE;CN="Lisa Dusseault, CommerceNet";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PA',
  ' RTICIPANT;RSVP=TRUE:mailto:lisa@example.com',
  'ORGANIZER;SENT-BY="mailto:bernard@example.com":mailto:cyrus@example.com',
  'SUMMARY:Task #1',
  'UID:DDDEEB7915FA61233B861457@example.com',
  'BEGIN:VALARM',
  'ACTION:AUDIO',
  'TRIGGER;RELATED=START:-PT10M',
  'END:VALARM',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'DESCRIPTION:Task #1 is due',
  'TRIGGER:-PT1H',
  'END:VALARM',
  'END:VTODO',
  'END:VCALENDAR',
);

describe('selecting parts of calendar data (RFC 4791 9.6.1-9.6.4)', () => {
  it('answers the partial retrieval of RFC 4791 7.8.1: VERSION, the listed VEVENT properties and the whole VTIMEZONE', () => {
    expect(selectCalendarData(ABCD2, RFC_7_8_1)).toBe(
      ics(
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        ...US_EASTERN,
        'BEGIN:VEVENT',
        'DTSTART;TZID=US/Eastern:20060102T120000',
        'DURATION:PT1H',
        'RRULE:FREQ=DAILY;COUNT=5',
        'SUMMARY:Event #2',
        'UID:00959BC664CA650E933C892C@example.com',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'DTSTART;TZID=US/Eastern:20060104T140000',
        'DURATION:PT1H',
        'RECURRENCE-ID;TZID=US/Eastern:20060104T120000',
        'SUMMARY:Event #2 bis',
        'UID:00959BC664CA650E933C892C@example.com',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'DTSTART;TZID=US/Eastern:20060106T140000',
        'DURATION:PT1H',
        'RECURRENCE-ID;TZID=US/Eastern:20060106T120000',
        'SUMMARY:Event #2 bis bis',
        'UID:00959BC664CA650E933C892C@example.com',
        'END:VEVENT',
        'END:VCALENDAR',
      ),
    );
    // The RFC's answer for abcd3 shows PRODID too, against its own text ("the only property returned in the VCALENDAR object is VERSION").
    expect(selectCalendarData(ABCD3, RFC_7_8_1)).toBe(
      ics(
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        ...US_EASTERN,
        'BEGIN:VEVENT',
        'DTSTART;TZID=US/Eastern:20060104T100000',
        'DURATION:PT1H',
        'SUMMARY:Event #3',
        'UID:DC6C50A017428C5216A2F1CD@example.com',
        'END:VEVENT',
        'END:VCALENDAR',
      ),
    );
  });

  it('leaves out a VTIMEZONE the selection does not name', () => {
    const selection: CalendarDataComp = { name: 'VCALENDAR', props: 'all', comps: [{ name: 'VEVENT', props: [{ name: 'UID' }] }] };
    expect(selectCalendarData(ABCD3, selection)).toBe(
      ics(
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Example Corp.//CalDAV Client//EN',
        'BEGIN:VEVENT',
        'UID:DC6C50A017428C5216A2F1CD@example.com',
        'END:VEVENT',
        'END:VCALENDAR',
      ),
    );
  });

  it('gives a novalue property its name, its parameters (VALUE included) and a trailing colon, folded like any line', () => {
    const selection: CalendarDataComp = {
      name: 'VCALENDAR',
      comps: [{ name: 'VTODO', props: [{ name: 'UID' }, { name: 'DUE', novalue: true }, { name: 'attendee', novalue: true }, { name: 'ORGANIZER', novalue: true }] }],
    };
    expect(selectCalendarData(TASK, selection)).toBe(
      ics(
        'BEGIN:VCALENDAR',
        'BEGIN:VTODO',
        'DUE;VALUE=DATE:',
        'ATTENDEE;CN="Lisa Dusseault, CommerceNet";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PA',
        ' RTICIPANT;RSVP=TRUE:',
        'ORGANIZER;SENT-BY="mailto:bernard@example.com":',
        'UID:DDDEEB7915FA61233B861457@example.com',
        'END:VTODO',
        'END:VCALENDAR',
      ),
    );
  });

  it('returns the value when one prop asks for it and another of the same name does not', () => {
    const selection: CalendarDataComp = { name: 'VCALENDAR', comps: [{ name: 'VTODO', props: [{ name: 'SUMMARY', novalue: true }, { name: 'SUMMARY' }] }] };
    expect(selectCalendarData(TASK, selection)).toContain('\r\nSUMMARY:Task #1\r\n');
  });

  it('selects allprop and allcomp: everything below, the VALARMs whole', () => {
    expect(selectCalendarData(TASK, { name: 'VCALENDAR', props: 'all', comps: 'all' })).toBe(TASK);
    expect(selectCalendarData(TASK, { name: 'VCALENDAR', comps: [{ name: 'VTODO', props: [{ name: 'UID' }], comps: 'all' }] })).toBe(
      ics(
        'BEGIN:VCALENDAR',
        'BEGIN:VTODO',
        'UID:DDDEEB7915FA61233B861457@example.com',
        'BEGIN:VALARM',
        'ACTION:AUDIO',
        'TRIGGER;RELATED=START:-PT10M',
        'END:VALARM',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'DESCRIPTION:Task #1 is due',
        'TRIGGER:-PT1H',
        'END:VALARM',
        'END:VTODO',
        'END:VCALENDAR',
      ),
    );
  });

  it('selects within nested VALARMs, and drops them when the VTODO names no comps', () => {
    const alarms: CalendarDataComp = {
      name: 'VCALENDAR',
      props: [{ name: 'VERSION' }],
      comps: [{ name: 'VTODO', props: [{ name: 'SUMMARY' }], comps: [{ name: 'VALARM', props: [{ name: 'TRIGGER' }] }] }],
    };
    expect(selectCalendarData(TASK, alarms)).toBe(
      ics(
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'BEGIN:VTODO',
        'SUMMARY:Task #1',
        'BEGIN:VALARM',
        'TRIGGER;RELATED=START:-PT10M',
        'END:VALARM',
        'BEGIN:VALARM',
        'TRIGGER:-PT1H',
        'END:VALARM',
        'END:VTODO',
        'END:VCALENDAR',
      ),
    );
    const noAlarms: CalendarDataComp = { name: 'VCALENDAR', comps: [{ name: 'VTODO', props: 'all' }] };
    expect(selectCalendarData(TASK, noAlarms)).not.toContain('VALARM');
  });

  it('keeps an event-only selection from returning a task', () => {
    expect(selectCalendarData(TASK, { name: 'VCALENDAR', props: 'all', comps: [{ name: 'VEVENT' }] })).toBe(
      ics('BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Example Corp.//CalDAV Client//EN', 'END:VCALENDAR'),
    );
  });
});
