import { type BusyPeriod } from '@davmesh/contracts';

/** ISO instant → iCalendar UTC date-time (`20060104T140000Z`). */
export function isoToIcalUtc(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** RFC 4791 7.10: the VFREEBUSY answer of a free-busy-query. */
export function renderFreeBusy(start: string, end: string, busy: BusyPeriod[], now = new Date()): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//davmesh//CalDAV//EN',
    'BEGIN:VFREEBUSY',
    `DTSTAMP:${isoToIcalUtc(now.toISOString())}`,
    `DTSTART:${isoToIcalUtc(start)}`,
    `DTEND:${isoToIcalUtc(end)}`,
    ...busy.map((period) => `FREEBUSY;FBTYPE=${period.type}:${isoToIcalUtc(period.start)}/${isoToIcalUtc(period.end)}`),
    'END:VFREEBUSY',
    'END:VCALENDAR',
  ];
  return `${lines.join('\r\n')}\r\n`;
}
