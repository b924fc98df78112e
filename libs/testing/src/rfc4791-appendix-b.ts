/**
 * RFC 4791 Appendix B: the calendar collection (Bernard's /bernard/work/) that the
 * examples of sections 7.8 to 7.10 query, copied line for line.
 *
 * The RFC's own text disagrees with itself in three places; we take what the example
 * responses of section 7.8 show, without which those examples cannot come out as printed:
 * - abcd2.ics: the second override, "Event #2 bis bis" on 6 January (7.8.8 returns it);
 * - abcd3.ics: X-ABC-GUID (7.8.1, 7.8.6, 7.8.7 and 7.8.8 return it);
 * - abcd5.ics: DUE;TZID=US/Eastern:20060106T120000 (7.8.5 returns it; it is what puts the alarm
 *   of Task #2 on 6 January), with the collection's VTIMEZONE for that TZID.
 *
 * abcd8.ics, a stored VFREEBUSY, is here as the RFC has it; this server keeps only events,
 * tasks and journals and refuses it.
 */

/** Lines joined with CRLF, as iCalendar wants them. */
const ics = (...lines: string[]) => [...lines, ''].join('\r\n');

const HEADER = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Example Corp.//CalDAV Client//EN'];

/** The VTIMEZONE of Appendix B's collection. */
export const US_EASTERN = [
  'BEGIN:VTIMEZONE',
  'LAST-MODIFIED:20040110T032845Z',
  'TZID:US/Eastern',
  'BEGIN:DAYLIGHT',
  'DTSTART:20000404T020000',
  'RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4',
  'TZNAME:EDT',
  'TZOFFSETFROM:-0500',
  'TZOFFSETTO:-0400',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'DTSTART:20001026T020000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'TZNAME:EST',
  'TZOFFSETFROM:-0400',
  'TZOFFSETTO:-0500',
  'END:STANDARD',
  'END:VTIMEZONE',
];

export const ABCD1 = ics(
  ...HEADER,
  ...US_EASTERN,
  'BEGIN:VEVENT',
  'DTSTAMP:20060206T001102Z',
  'DTSTART;TZID=US/Eastern:20060102T100000',
  'DURATION:PT1H',
  'SUMMARY:Event #1',
  'Description:Go Steelers!',
  'UID:74855313FA803DA593CD579A@example.com',
  'END:VEVENT',
  'END:VCALENDAR',
);

export const ABCD2 = ics(
  ...HEADER,
  ...US_EASTERN,
  'BEGIN:VEVENT',
  'DTSTAMP:20060206T001121Z',
  'DTSTART;TZID=US/Eastern:20060102T120000',
  'DURATION:PT1H',
  'RRULE:FREQ=DAILY;COUNT=5',
  'SUMMARY:Event #2',
  'UID:00959BC664CA650E933C892C@example.com',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTAMP:20060206T001121Z',
  'DTSTART;TZID=US/Eastern:20060104T140000',
  'DURATION:PT1H',
  'RECURRENCE-ID;TZID=US/Eastern:20060104T120000',
  'SUMMARY:Event #2 bis',
  'UID:00959BC664CA650E933C892C@example.com',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTAMP:20060206T001121Z',
  'DTSTART;TZID=US/Eastern:20060106T140000',
  'DURATION:PT1H',
  'RECURRENCE-ID;TZID=US/Eastern:20060106T120000',
  'SUMMARY:Event #2 bis bis',
  'UID:00959BC664CA650E933C892C@example.com',
  'END:VEVENT',
  'END:VCALENDAR',
);

export const ABCD3 = ics(
  ...HEADER,
  ...US_EASTERN,
  'BEGIN:VEVENT',
  'ATTENDEE;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:cyrus@example.com',
  'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:lisa@example.com',
  'DTSTAMP:20060206T001220Z',
  'DTSTART;TZID=US/Eastern:20060104T100000',
  'DURATION:PT1H',
  'LAST-MODIFIED:20060206T001330Z',
  'ORGANIZER:mailto:cyrus@example.com',
  'SEQUENCE:1',
  'STATUS:TENTATIVE',
  'SUMMARY:Event #3',
  'UID:DC6C50A017428C5216A2F1CD@example.com',
  'X-ABC-GUID:E1CX5Dr-0007ym-Hz@example.com',
  'END:VEVENT',
  'END:VCALENDAR',
);

export const ABCD4 = ics(
  ...HEADER,
  'BEGIN:VTODO',
  'DTSTAMP:20060205T235335Z',
  'DUE;VALUE=DATE:20060104',
  'STATUS:NEEDS-ACTION',
  'SUMMARY:Task #1',
  'UID:DDDEEB7915FA61233B861457@example.com',
  'BEGIN:VALARM',
  'ACTION:AUDIO',
  'TRIGGER;RELATED=START:-PT10M',
  'END:VALARM',
  'END:VTODO',
  'END:VCALENDAR',
);

export const ABCD5 = ics(
  ...HEADER,
  ...US_EASTERN,
  'BEGIN:VTODO',
  'DTSTAMP:20060205T235300Z',
  'DUE;TZID=US/Eastern:20060106T120000',
  'LAST-MODIFIED:20060205T235308Z',
  'SEQUENCE:1',
  'STATUS:NEEDS-ACTION',
  'SUMMARY:Task #2',
  'UID:E10BA47467C5C69BB74E8720@example.com',
  'BEGIN:VALARM',
  'ACTION:AUDIO',
  'TRIGGER;RELATED=START:-PT10M',
  'END:VALARM',
  'END:VTODO',
  'END:VCALENDAR',
);

export const ABCD6 = ics(
  ...HEADER,
  'BEGIN:VTODO',
  'COMPLETED:20051223T122322Z',
  'DTSTAMP:20060205T235400Z',
  'DUE;VALUE=DATE:20051225',
  'LAST-MODIFIED:20060205T235308Z',
  'SEQUENCE:1',
  'STATUS:COMPLETED',
  'SUMMARY:Task #3',
  'UID:E10BA47467C5C69BB74E8722@example.com',
  'END:VTODO',
  'END:VCALENDAR',
);

export const ABCD7 = ics(
  ...HEADER,
  'BEGIN:VTODO',
  'DTSTAMP:20060205T235600Z',
  'DUE;VALUE=DATE:20060101',
  'LAST-MODIFIED:20060205T235308Z',
  'SEQUENCE:1',
  'STATUS:CANCELLED',
  'SUMMARY:Task #4',
  'UID:E10BA47467C5C69BB74E8725@example.com',
  'END:VTODO',
  'END:VCALENDAR',
);

export const ABCD8 = ics(
  ...HEADER,
  'BEGIN:VFREEBUSY',
  'ORGANIZER;CN="Bernard Desruisseaux":mailto:bernard@example.com',
  'UID:76ef34-54a3d2@example.com',
  'DTSTAMP:20050530T123421Z',
  'DTSTART:20060101T000000Z',
  'DTEND:20060108T000000Z',
  'FREEBUSY:20050531T230000Z/20050601T010000Z',
  'FREEBUSY;FBTYPE=BUSY-TENTATIVE:20060102T100000Z/20060102T120000Z',
  'FREEBUSY:20060103T100000Z/20060103T120000Z',
  'FREEBUSY:20060104T100000Z/20060104T120000Z',
  'FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20060105T100000Z/20060105T120000Z',
  'FREEBUSY:20060106T100000Z/20060106T120000Z',
  'END:VFREEBUSY',
  'END:VCALENDAR',
);

/** The resources this server stores, by the RFC's resource names. */
export const APPENDIX_B: Record<string, string> = {
  'abcd1.ics': ABCD1,
  'abcd2.ics': ABCD2,
  'abcd3.ics': ABCD3,
  'abcd4.ics': ABCD4,
  'abcd5.ics': ABCD5,
  'abcd6.ics': ABCD6,
  'abcd7.ics': ABCD7,
};
