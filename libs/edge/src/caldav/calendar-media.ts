import { type IncomingMessage } from 'node:http';
import { type CalendarComponent } from '@davmesh/contracts';
import { type XmlElement } from '@davmesh/dav';

/** Advertised as CALDAV:max-resource-size; the calendar service refuses larger objects. */
export const MAX_ICALENDAR_BYTES = 1024 * 1024;

/** RFC 4791 5.3.2.1 supported-calendar-data: a PUT must carry text/calendar (a missing type is taken as such). */
export function isCalendarMediaType(request: IncomingMessage): boolean {
  const type = String(request.headers['content-type'] ?? 'text/calendar').split(';')[0].trim().toLowerCase();
  return type === 'text/calendar';
}

export function calendarContentType(component: CalendarComponent): string {
  return `text/calendar; charset=utf-8; component=${component.toLowerCase()}`;
}

/** RFC 4791 9.6: the content-type and version a REPORT's calendar-data asks for; only iCalendar 2.0 is served. */
export function isSupportedCalendarData(data: XmlElement): boolean {
  const type = (data.attributes['content-type'] ?? 'text/calendar').split(';')[0].trim().toLowerCase();
  return type === 'text/calendar' && (data.attributes['version'] ?? '2.0').trim() === '2.0';
}
