import { textMatches } from '@davmesh/collation';
import { type CalendarParamFilter, type CalendarPropFilter, type CompFilter, type TimeRange } from '@davmesh/contracts';
import { type IcalComponent, type IcalTime } from './ical-module';
import { componentOverlaps, instancesIn, overlaps, toMs } from './instances';

/** RFC 4791 9.7: does this calendar object (its VCALENDAR) satisfy the filter? */
export function matchesCalendarFilter(root: IcalComponent, filter: CompFilter): boolean {
  if (filter.name.toLowerCase() !== 'vcalendar' || filter.isNotDefined) return false;
  return matchesComponent(root, root, { ...filter, timeRange: undefined });
}

export function rangeBounds(range: TimeRange): { start: number; end: number } {
  return { start: range.start ? Date.parse(range.start) : -Infinity, end: range.end ? Date.parse(range.end) : Infinity };
}

function matchesComponent(root: IcalComponent, component: IcalComponent, filter: CompFilter): boolean {
  if (filter.timeRange && !componentInRange(root, component, rangeBounds(filter.timeRange))) return false;
  for (const propFilter of filter.propFilters ?? []) if (!matchesProperty(component, propFilter)) return false;
  for (const child of filter.compFilters ?? []) {
    const subcomponents = component.getAllSubcomponents(child.name.toLowerCase());
    if (child.isNotDefined) {
      if (subcomponents.length > 0) return false;
      continue;
    }
    if (!subcomponents.some((sub) => matchesComponent(root, sub, child))) return false;
  }
  return true;
}

function componentInRange(root: IcalComponent, component: IcalComponent, range: { start: number; end: number }): boolean {
  if (component.name === 'valarm') return alarmInRange(root, component, range);
  if (component.hasProperty('recurrence-id')) return componentOverlaps(component, range.start, range.end);
  return instancesIn(root, range.start, range.end).some((instance) => !instance.component.hasProperty('recurrence-id'));
}

/** An alarm is in range when it triggers in range for some instance of its component (RFC 4791 9.9). */
function alarmInRange(root: IcalComponent, alarm: IcalComponent, range: { start: number; end: number }): boolean {
  const trigger = alarm.getFirstProperty('trigger');
  if (!trigger) return false;
  const value = trigger.getFirstValue() as IcalTime | { toSeconds(): number };
  if ('toJSDate' in value) return overlaps(toMs(value as IcalTime), toMs(value as IcalTime), range.start, range.end);
  const offsetMs = (value as { toSeconds(): number }).toSeconds() * 1000;
  const relatedToEnd = String(trigger.getParameter('related') ?? 'START').toUpperCase() === 'END';
  const slack = Math.abs(offsetMs) + 86_400_000;
  const instances = instancesIn(root, range.start - slack, range.end + slack).filter((i) => i.component === alarm.parent);
  return instances.some((instance) => {
    const at = (relatedToEnd ? instance.end : instance.start) + offsetMs;
    return overlaps(at, at, range.start, range.end);
  });
}

function matchesProperty(component: IcalComponent, filter: CalendarPropFilter): boolean {
  const properties = component.getAllProperties(filter.name.toLowerCase());
  if (filter.isNotDefined) return properties.length === 0;
  return properties.some((property) => {
    if (filter.timeRange) {
      const value = property.getFirstValue() as IcalTime | null;
      if (!value || typeof value !== 'object' || !('toJSDate' in value)) return false;
      const { start, end } = rangeBounds(filter.timeRange);
      if (!overlaps(toMs(value), toMs(value), start, end)) return false;
    }
    if (filter.textMatch && !textMatches(property.getValues().map(String).join(','), filter.textMatch)) return false;
    return (filter.paramFilters ?? []).every((paramFilter) => matchesParameter(property, paramFilter));
  });
}

function matchesParameter(property: { getParameter(name: string): unknown }, filter: CalendarParamFilter): boolean {
  const raw = property.getParameter(filter.name.toLowerCase());
  if (filter.isNotDefined) return raw === undefined;
  if (raw === undefined) return false;
  return !filter.textMatch || textMatches(Array.isArray(raw) ? raw.join(',') : String(raw), filter.textMatch);
}

/** The time range the filter asks about on its object components, for the index; infinite bounds when none. */
export function filterTimeRange(filter: CompFilter): { start: number; end: number; component?: string } {
  for (const child of filter.compFilters ?? []) {
    const component = child.name.toUpperCase();
    if (child.isNotDefined) continue;
    if (child.timeRange) return { ...rangeBounds(child.timeRange), component };
    return { start: -Infinity, end: Infinity, component };
  }
  return { start: -Infinity, end: Infinity };
}
