import { type IncomingMessage } from 'node:http';

/** What OPTIONS and every DAV response advertise. No calendar-auto-schedule: we do not schedule. */
export const DAV_COMPLIANCE = '1, 3, calendar-access, addressbook';

export type Depth = '0' | '1' | 'infinity';

/** RFC 4918 10.2; `fallback` for a missing header, undefined for a value that is not 0, 1 or infinity. */
export function parseDepth(header: string | string[] | undefined, fallback: Depth): Depth | undefined {
  if (header === undefined) return fallback;
  const value = (Array.isArray(header) ? header[0] : header).trim().toLowerCase();
  return value === '0' || value === '1' || value === 'infinity' ? value : undefined;
}

/** `Brief: t`, `Prefer: return-minimal` and `Prefer: return=minimal` all ask to leave out 404 propstats. */
export function wantsMinimal(request: IncomingMessage): boolean {
  const brief = String(request.headers['brief'] ?? '').trim().toLowerCase();
  const prefer = String(request.headers['prefer'] ?? '').toLowerCase();
  return brief === 't' || /\breturn[-=]minimal\b/.test(prefer);
}
