import { type IncomingMessage } from 'node:http';
import { DavHttpError } from '../http/dav-exchange';

/** RFC 6638 3.2.10: the Schedule-Tag header of a scheduling object resource (a quoted opaque tag); none for other objects. */
export function scheduleTagHeader(tag: string | undefined): Record<string, string> {
  return tag ? { 'Schedule-Tag': `"${tag}"` } : {};
}

/** RFC 6638 8.3 If-Schedule-Tag-Match: the one tag it names, bare; 400 for anything but one quoted tag. */
export function ifScheduleTagMatch(request: IncomingMessage): string | undefined {
  const header = request.headers['if-schedule-tag-match'];
  if (header === undefined) return undefined;
  const tag = /^"([^"]{1,256})"$/.exec((Array.isArray(header) ? header.join(', ') : header).trim())?.[1];
  if (tag === undefined) throw new DavHttpError(400, 'If-Schedule-Tag-Match takes one quoted tag');
  return tag;
}

/** RFC 6638 8.1 `Schedule-Reply: F`: an attendee's DELETE sends the organizer no reply. */
export function sendsScheduleReply(request: IncomingMessage): boolean {
  const header = request.headers['schedule-reply'];
  return String(Array.isArray(header) ? header[0] : (header ?? 'T')).trim().toUpperCase() !== 'F';
}
