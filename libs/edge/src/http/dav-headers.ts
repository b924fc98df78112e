import { type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * What OPTIONS and every DAV response advertise: calendar-auto-schedule (RFC 6638) since the
 * calendar service schedules PUT, DELETE and MOVE of scheduling objects itself; clients that see
 * it leave sending invitations and replies to the server. calendarserver-sharing: calendars are
 * shared by POST of CS:share, answered from the notification collection (docs/sharing.md).
 */
export const DAV_COMPLIANCE = '1, 3, calendar-access, calendar-auto-schedule, calendarserver-sharing, addressbook';

export type Depth = '0' | '1' | 'infinity';

/** RFC 4918 10.2; `fallback` for a missing header, undefined for a value that is not 0, 1 or infinity. */
export function parseDepth(header: string | string[] | undefined, fallback: Depth): Depth | undefined {
  if (header === undefined) return fallback;
  const value = (Array.isArray(header) ? header[0] : header).trim().toLowerCase();
  return value === '0' || value === '1' || value === 'infinity' ? value : undefined;
}

/** The preferences of a request's Prefer headers (RFC 7240 2), lower-cased, without their parameters. */
function preferences(request: IncomingMessage): Set<string> {
  const header = request.headers['prefer'];
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  return new Set(values.flatMap((value) => value.split(',')).map((preference) => preference.split(';')[0].replace(/\s+/g, '').toLowerCase()));
}

/**
 * Whether a multistatus may leave out 404 propstats: `Prefer: return=minimal` (RFC 8144 2),
 * its draft spelling `return-minimal`, or Apple's `Brief: t`. The answer varies with those
 * headers, and says when it honoured Prefer (`Preference-Applied`, RFC 7240 3).
 */
export function minimalAnswer(request: IncomingMessage, response: ServerResponse): boolean {
  response.setHeader('Vary', 'Brief, Prefer');
  const prefer = preferences(request);
  if (prefer.has('return=minimal') || prefer.has('return-minimal')) {
    response.setHeader('Preference-Applied', 'return=minimal');
    return true;
  }
  return String(request.headers['brief'] ?? '').trim().toLowerCase() === 't';
}

/** RFC 8144 3.2: a PUT asking for the stored representation in its answer. */
export function wantsRepresentation(request: IncomingMessage): boolean {
  return preferences(request).has('return=representation');
}
