import ICAL, { type IcalComponent, type IcalTime } from './ical-module';
import { componentSpan, instancesIn, overlaps } from './instances';
import { parseVcalendar } from './calendar-object';
import { rangeMemo } from './range-memo';
import { bindZones, componentWithZonesOf } from './zone-definitions';

const RECURRENCE_PROPERTIES = ['rrule', 'rdate', 'exdate', 'exrule'];

function utc(ms: number, isDate: boolean): IcalTime {
  const time = ICAL.Time.fromJSDate(new Date(ms), true);
  if (isDate) time.isDate = true;
  return time;
}

/**
 * calendar-data `expand` (RFC 4791 9.6.5): every instance in [start, end) as a
 * component of its own with a RECURRENCE-ID, no recurrence rules, times in UTC.
 */
export function expandCalendarData(source: string | IcalComponent, start: number, end: number): string {
  return typeof source === 'string' ? expand(parseVcalendar(source), start, end) : expandKept(source, start, end);
}

/** Expansions of a parsed object kept across requests, as its instances are. */
const expandKept = rangeMemo(expand);

function expand(root: IcalComponent, start: number, end: number): string {
  const expanded = new ICAL.Component('vcalendar');
  for (const property of root.getAllProperties()) expanded.addProperty(ICAL.Property.fromString(property.toICALString()));
  const recurring = root.getAllSubcomponents().some((c) => c.hasProperty('rrule') || c.hasProperty('rdate') || c.hasProperty('recurrence-id'));
  for (const instance of instancesIn(root, start, end)) {
    // toJSON() is the live jCal array: copy it, or every instance of the master would share one.
    // The copy reads its times with the object's own zones.
    const component = componentWithZonesOf(root, structuredClone(instance.component.toJSON()));
    for (const name of [...RECURRENCE_PROPERTIES, 'recurrence-id']) component.removeAllProperties(name);
    const dtstart = instance.component.getFirstPropertyValue('dtstart') as IcalTime | null;
    const isDate = dtstart?.isDate ?? false;
    if (dtstart) component.updatePropertyWithValue('dtstart', utc(instance.start, isDate));
    if (instance.component.hasProperty('dtend')) component.updatePropertyWithValue('dtend', utc(instance.end, isDate));
    if (recurring && instance.recurrenceId) {
      component.addPropertyWithValue('recurrence-id', utc(instance.recurrenceId.toJSDate().getTime(), instance.recurrenceId.isDate));
    }
    withoutZones(component);
    expanded.addSubcomponent(component);
  }
  return expanded.toString() + '\r\n';
}

/** The expanded data has no VTIMEZONE: every TZID'd time (DTSTART, DTEND, DUE, …) becomes UTC. */
function withoutZones(component: IcalComponent): void {
  for (const property of component.getAllProperties()) {
    if (property.getParameter('tzid') === undefined) continue;
    const values = property.getValues().map((v: unknown) => (v instanceof ICAL.Time && !v.isDate ? v.convertToZone(ICAL.Timezone.utcTimezone) : v));
    property.removeParameter('tzid');
    if (values.length === 1) property.setValue(values[0]);
    else property.setValues(values);
  }
}

/** calendar-data `limit-recurrence-set` (RFC 4791 9.6.6): the master, and only the overrides in range. The source is left as it was. */
export function limitRecurrenceSet(source: string | IcalComponent, start: number, end: number): string {
  const root = typeof source === 'string' ? parseVcalendar(source) : copyOf(source);
  for (const override of root.getAllSubcomponents().filter((c: IcalComponent) => c.hasProperty('recurrence-id'))) {
    const span = componentSpan(override);
    if (!overlaps(span.start, span.end, start, end)) root.removeSubcomponent(override);
  }
  return root.toString() + '\r\n';
}

function copyOf(source: IcalComponent): IcalComponent {
  const root = new ICAL.Component(structuredClone(source.toJSON()));
  bindZones(root);
  return root;
}
