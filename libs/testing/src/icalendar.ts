/** Builds iCalendar text for tests: a VCALENDAR around the given lines, CRLF-terminated. */
export function vcalendar(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

export function vevent(uid: string, ...props: string[]): string[] {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...props, 'END:VEVENT'];
}

export function vtodo(uid: string, ...props: string[]): string[] {
  return ['BEGIN:VTODO', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...props, 'END:VTODO'];
}

export const EUROPE_BERLIN = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:STANDARD',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];
