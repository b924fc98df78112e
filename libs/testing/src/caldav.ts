import { davClient } from './dav-client';

export const APPLE_CALENDAR_UA = 'macOS/14.5 (23F79) CalendarAgent/988';
export const THUNDERBIRD_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Thunderbird/140.0';

/** A real CalDAV client (tsdav) that logs in with Basic auth and presents a user agent. */
export function caldavClient(serverUrl: string, login: string, password: string, userAgent: string) {
  return davClient(serverUrl, login, password, userAgent, 'caldav');
}

/** iCalendar UTC date-time of an instant. */
export function icalUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A one-hour VEVENT starting at `start` (now plus a day when not given). */
export function vevent(uid: string, summary: string, start = new Date(Date.now() + 86_400_000), extra: string[] = []): string {
  const end = new Date(start.getTime() + 3_600_000);
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//davmesh//tests//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${icalUtc(new Date())}`,
    `DTSTART:${icalUtc(start)}`,
    `DTEND:${icalUtc(end)}`,
    `SUMMARY:${summary}`,
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

export function vtodo(uid: string, summary: string, extra: string[] = []): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//tests//EN', 'BEGIN:VTODO', `UID:${uid}`, `DTSTAMP:${icalUtc(new Date())}`, `SUMMARY:${summary}`, ...extra, 'END:VTODO', 'END:VCALENDAR', ''].join(
    '\r\n',
  );
}
