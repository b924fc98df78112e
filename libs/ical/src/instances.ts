import ICAL, { type IcalComponent, type IcalTime } from './ical-module';
import { rangeMemo } from './range-memo';
import { RecurrenceLimitExceeded } from './recurrence-budget';
import { todoOverlaps, todoTimes } from './todo-range';

export interface Instance {
  /** Epoch milliseconds. */
  start: number;
  end: number;
  /** The component that describes this instance: the master, or an override (RECURRENCE-ID). */
  component: IcalComponent;
  /** Set for instances of a recurring series: the instance's original start. */
  recurrenceId?: IcalTime;
}

/** More instances than this in one range are refused, not cut: the answer would be incomplete. */
const MAX_INSTANCES_IN_RANGE = 20_000;

/**
 * The instances of one calendar object (a master and its overrides) that overlap
 * [rangeStart, rangeEnd), per RFC 4791 9.9; both bounds may be infinite. Kept with the
 * parsed object (see rangeMemo), which must not change afterwards.
 */
export const instancesIn: (root: IcalComponent, rangeStart: number, rangeEnd: number) => readonly Instance[] = rangeMemo(computeInstances);

function computeInstances(root: IcalComponent, rangeStart: number, rangeEnd: number): Instance[] {
  const components = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  const master = components.find((c) => !c.hasProperty('recurrence-id'));
  const overrides = components.filter((c) => c.hasProperty('recurrence-id'));
  const found: Instance[] = [];
  if (!master || !(master.hasProperty('rrule') || master.hasProperty('rdate')) || !master.hasProperty('dtstart')) {
    for (const component of master ? [master, ...overrides] : overrides) {
      const span = componentSpan(component);
      if (componentOverlaps(component, rangeStart, rangeEnd)) {
        const recurrenceId = (component.getFirstPropertyValue('recurrence-id') as IcalTime | null) ?? undefined;
        found.push({ ...span, component, recurrenceId });
      }
    }
    return found;
  }
  // Overrides are instances of their own: checked by their own times, their slots skipped.
  for (const override of overrides) {
    const span = componentSpan(override);
    if (componentOverlaps(override, rangeStart, rangeEnd)) {
      found.push({ ...span, component: override, recurrenceId: override.getFirstPropertyValue('recurrence-id') as IcalTime });
    }
  }
  const overridden = new Set(overrides.map((o) => (o.getFirstPropertyValue('recurrence-id') as IcalTime).toUnixTime()));
  const masterSpan = componentSpan(master);
  const length = Math.max(0, masterSpan.end - masterSpan.start);
  const endOfSlot = slotEnd(master, length);
  const iterator = new ICAL.Event(master).iterator();
  // The walk from DTSTART to the range is bounded by the request's recurrence budget.
  for (;;) {
    const slot: IcalTime | null = iterator.next();
    if (!slot) break;
    const start = toMs(slot);
    if (start >= rangeEnd) break;
    if (overridden.has(slot.toUnixTime())) continue;
    const end = slot.isDate && length === 0 ? start + 86_400_000 : endOfSlot(slot, start);
    if (!slotOverlaps(master, start, end, rangeStart, rangeEnd)) continue;
    if (found.length >= MAX_INSTANCES_IN_RANGE) throw new RecurrenceLimitExceeded();
    found.push({ start, end, component: master, recurrenceId: slot });
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * How a slot's end follows from its start: the master's length, measured in its own zone so
 * DST shifts keep wall-clock times (in UTC, plain arithmetic).
 */
function slotEnd(master: IcalComponent, fallbackMs: number): (slot: IcalTime, startMs: number) => number {
  const dtstart = master.getFirstPropertyValue('dtstart') as IcalTime;
  const dtend = (master.getFirstPropertyValue('dtend') as IcalTime | null) ?? endByDuration(master, dtstart);
  if (!dtend) return (_slot, startMs) => startMs + fallbackMs;
  const length = dtend.subtractDate(dtstart);
  if (dtstart.zone === ICAL.Timezone.utcTimezone && dtend.zone === ICAL.Timezone.utcTimezone) return (_slot, startMs) => startMs + fallbackMs;
  return (slot) => {
    const end = slot.clone();
    end.addDuration(length);
    return toMs(end);
  };
}

/** One component (not a series) against the range, by RFC 4791 9.9: tasks by their own rows of its table. */
export function componentOverlaps(component: IcalComponent, rangeStart: number, rangeEnd: number): boolean {
  if (component.name === 'vtodo') return todoOverlaps(todoTimes(component), rangeStart, rangeEnd);
  const span = componentSpan(component);
  return overlaps(span.start, span.end, rangeStart, rangeEnd);
}

/** One instance of a series: a task's instance ends at its DUE or after its DURATION, as the master does. */
function slotOverlaps(master: IcalComponent, start: number, end: number, rangeStart: number, rangeEnd: number): boolean {
  if (master.name !== 'vtodo') return overlaps(start, end, rangeStart, rangeEnd);
  const own = todoTimes(master);
  if (own.due !== undefined) return todoOverlaps({ start, due: end }, rangeStart, rangeEnd);
  if (own.durationEnd !== undefined) return todoOverlaps({ start, durationEnd: end }, rangeStart, rangeEnd);
  return todoOverlaps({ start }, rangeStart, rangeEnd);
}

/** RFC 4791 9.9: an instance of zero length overlaps when it starts inside the range. */
export function overlaps(start: number, end: number, rangeStart: number, rangeEnd: number): boolean {
  if (end > start) return start < rangeEnd && end > rangeStart;
  return start >= rangeStart && start < rangeEnd;
}

/** Start and end of one component, for VEVENT, VTODO and VJOURNAL, following RFC 4791 9.9. */
export function componentSpan(component: IcalComponent): { start: number; end: number } {
  const dtstart = component.getFirstPropertyValue('dtstart') as IcalTime | null;
  if (component.name === 'vtodo') {
    const due = component.getFirstPropertyValue('due') as IcalTime | null;
    if (dtstart) {
      const end = due ?? endByDuration(component, dtstart);
      return { start: toMs(dtstart), end: end ? toMs(end) : toMs(dtstart) };
    }
    if (due) return { start: toMs(due), end: toMs(due) };
    const completed = component.getFirstPropertyValue('completed') as IcalTime | null;
    const created = component.getFirstPropertyValue('created') as IcalTime | null;
    if (completed && created) return { start: toMs(created), end: toMs(completed) };
    if (completed) return { start: toMs(completed), end: toMs(completed) };
    if (created) return { start: toMs(created), end: Infinity };
    return { start: -Infinity, end: Infinity };
  }
  if (!dtstart) return { start: -Infinity, end: Infinity };
  const dtend = (component.getFirstPropertyValue('dtend') as IcalTime | null) ?? endByDuration(component, dtstart);
  const start = toMs(dtstart);
  if (dtend) return { start, end: toMs(dtend) };
  return { start, end: dtstart.isDate ? start + 86_400_000 : start };
}

function endByDuration(component: IcalComponent, start: IcalTime): IcalTime | undefined {
  const duration = component.getFirstPropertyValue('duration') as InstanceType<typeof ICAL.Duration> | null;
  if (!duration) return undefined;
  const end = start.clone();
  end.addDuration(duration);
  return end;
}

export function toMs(time: IcalTime): number {
  return time.toJSDate().getTime();
}
