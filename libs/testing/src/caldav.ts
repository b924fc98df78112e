import { davClient } from './dav-client';
import { vcalendar, vevent, vtodo } from './icalendar';

export const APPLE_CALENDAR_UA = 'macOS/14.5 (23F79) CalendarAgent/988';
export const THUNDERBIRD_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Thunderbird/140.0';
/** evolution-data-server sets this on every WebDAV request (with `Connection: close`). */
export const EVOLUTION_UA = 'Evolution/3.52.4';
/** Tasks.org's own CalDAV sync (dav4jvm over okhttp), not through DAVx5. */
export const TASKS_ORG_UA = 'org.tasks/14.1.1 (okhttp3) Android/14';
/** Apple Reminders and Calendar on iOS both sync through dataaccessd. */
export const IOS_DATAACCESSD_UA = 'iOS/18.1.1 (22B91) dataaccessd/1.0';

/** A real CalDAV client (tsdav) that logs in with Basic auth and presents a user agent. */
export function caldavClient(serverUrl: string, login: string, password: string, userAgent: string, fetch?: typeof globalThis.fetch) {
  return davClient(serverUrl, login, password, userAgent, 'caldav', fetch);
}

/** iCalendar UTC date-time of an instant. */
export function icalUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A calendar object of one one-hour event starting at `start` (a day from now when not given). */
export function eventIcs(uid: string, summary: string, start = new Date(Date.now() + 86_400_000), extra: string[] = []): string {
  const end = new Date(start.getTime() + 3_600_000);
  return vcalendar(...vevent(uid, `DTSTART:${icalUtc(start)}`, `DTEND:${icalUtc(end)}`, `SUMMARY:${summary}`, ...extra));
}

/** A calendar object of one task. */
export function taskIcs(uid: string, summary: string, extra: string[] = []): string {
  return vcalendar(...vtodo(uid, `SUMMARY:${summary}`, ...extra));
}
