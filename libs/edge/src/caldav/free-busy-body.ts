import { type BusyPeriod } from '@davmesh/contracts';

/** ISO instant → iCalendar UTC date-time (`20060104T140000Z`). */
export function isoToIcalUtc(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** RFC 4791 7.10: the VFREEBUSY answer of a free-busy-query. */
export function renderFreeBusy(start: string, end: string, busy: BusyPeriod[], now = new Date()): string {
  return vcalendar([], vfreebusy(start, end, busy, [], now));
}

/** Who a free-busy reply is about and for (RFC 5546 3.3.3): the request's UID and ORGANIZER, one ATTENDEE. */
export interface FreeBusyReplyParties {
  uid?: string;
  organizer: string;
  attendee: string;
}

/** RFC 6638 / RFC 5546 3.3.3: one attendee's busy time as the calendar-data of a schedule-response, METHOD:REPLY. */
export function renderFreeBusyReply(start: string, end: string, busy: BusyPeriod[], parties: FreeBusyReplyParties, now = new Date()): string {
  const identity = [
    ...(parties.uid !== undefined ? [`UID:${escapeText(parties.uid)}`] : []),
    `ORGANIZER:${parties.organizer}`,
    `ATTENDEE:${parties.attendee}`,
  ];
  return vcalendar(['METHOD:REPLY'], vfreebusy(start, end, busy, identity, now));
}

function vfreebusy(start: string, end: string, busy: BusyPeriod[], identity: string[], now: Date): string[] {
  return [
    'BEGIN:VFREEBUSY',
    ...identity,
    `DTSTAMP:${isoToIcalUtc(now.toISOString())}`,
    `DTSTART:${isoToIcalUtc(start)}`,
    `DTEND:${isoToIcalUtc(end)}`,
    ...busy.map((period) => `FREEBUSY;FBTYPE=${period.type}:${isoToIcalUtc(period.start)}/${isoToIcalUtc(period.end)}`),
    'END:VFREEBUSY',
  ];
}

function vcalendar(properties: string[], component: string[]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//CalDAV//EN', ...properties, ...component, 'END:VCALENDAR'];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** RFC 5545 3.3.11 TEXT: backslash, semicolon, comma and line breaks escaped. */
function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/** RFC 5545 3.1: lines longer than 75 octets folded, never inside a character. */
function fold(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    // The first line holds 75 octets, each continuation 74 after its leading space.
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
