import { ianaZoneFor } from './zone-definitions';

/**
 * True when an event's stored occurrence span is exactly its one instance: no
 * recurrence, no overrides, a timed start in UTC or a named zone (not floating, not
 * all-day, which the index widens). Read from the text, much cheaper than parsing it.
 */
export function isSingleTimedEvent(ical: string): boolean {
  if (/^(RRULE|RDATE|EXDATE|RECURRENCE-ID)[;:]/im.test(ical)) return false;
  if ((ical.match(/^BEGIN:VEVENT\r?$/gim) ?? []).length !== 1) return false;
  const dtstart = /^DTSTART([;:][^\r\n]*)$/im.exec(ical)?.[1];
  if (!dtstart || /VALUE=DATE(?!-)/i.test(dtstart)) return false;
  const tzid = /TZID=("[^"]*"|[^;:]*)/i.exec(dtstart)?.[1]?.replace(/"/g, '');
  // A zone nobody can resolve is floating, and the index widened it.
  if (tzid) return ianaZoneFor(tzid) !== undefined || definesZone(ical, tzid);
  return /Z$/i.test(dtstart.trim());
}

/**
 * True when `expand` (RFC 4791 9.6.5) would give back the event as stored: one timed
 * instance already in UTC, nothing zoned to convert and no VTIMEZONE to drop.
 */
export function expandsToItself(ical: string): boolean {
  return !mentionsZones(ical) && isSingleTimedEvent(ical);
}

/** A TZID anywhere, or a VTIMEZONE: what `expand` would convert or drop. */
export function mentionsZones(ical: string): boolean {
  return /TZID|^BEGIN:VTIMEZONE/im.test(ical);
}

function definesZone(ical: string, tzid: string): boolean {
  for (const match of ical.matchAll(/^TZID:([^\r\n]*)\r?$/gim)) if (match[1] === tzid) return true;
  return false;
}

/** A calendar-query filter that asks only whether an event has an instance in one time range. */
export function isPlainEventTimeRange(filter: {
  name: string;
  isNotDefined?: boolean;
  propFilters?: unknown[];
  compFilters?: { name: string; isNotDefined?: boolean; timeRange?: unknown; propFilters?: unknown[]; compFilters?: unknown[] }[];
}): boolean {
  if (filter.isNotDefined || (filter.propFilters?.length ?? 0) > 0 || filter.compFilters?.length !== 1) return false;
  const [event] = filter.compFilters;
  return (
    event.name.toUpperCase() === 'VEVENT' &&
    !event.isNotDefined &&
    event.timeRange !== undefined &&
    (event.propFilters?.length ?? 0) === 0 &&
    (event.compFilters?.length ?? 0) === 0
  );
}
