import { type BusyPeriod } from '@davmesh/contracts';
import { instancesIn } from './instances';
import { parseVcalendar } from './calendar-object';

type BusyType = BusyPeriod['type'];

/** Busy time one calendar object contributes to [start, end) (RFC 4791 7.10): opaque, not cancelled events. */
export function busyTimeOf(text: string, start: number, end: number): { start: number; end: number; type: BusyType }[] {
  const root = parseVcalendar(text);
  return instancesIn(root, start, end)
    .filter((i) => i.component.name === 'vevent')
    .filter((i) => String(i.component.getFirstPropertyValue('transp') ?? 'OPAQUE').toUpperCase() !== 'TRANSPARENT')
    .filter((i) => String(i.component.getFirstPropertyValue('status') ?? '').toUpperCase() !== 'CANCELLED')
    .filter((i) => i.end > i.start)
    .map((i) => ({
      start: Math.max(i.start, start),
      end: Math.min(i.end, end),
      type: String(i.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'TENTATIVE' ? 'BUSY-TENTATIVE' : 'BUSY',
    }));
}

/** Merges overlapping periods of one type; the result is sorted. */
export function mergeBusy(periods: { start: number; end: number; type: BusyType }[]): BusyPeriod[] {
  const merged: { start: number; end: number; type: BusyType }[] = [];
  for (const period of [...periods].sort((a, b) => a.type.localeCompare(b.type) || a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && last.type === period.type && period.start <= last.end) last.end = Math.max(last.end, period.end);
    else merged.push({ ...period });
  }
  return merged
    .sort((a, b) => a.start - b.start)
    .map((p) => ({ start: new Date(p.start).toISOString(), end: new Date(p.end).toISOString(), type: p.type }));
}
