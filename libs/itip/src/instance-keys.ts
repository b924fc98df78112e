import { ICAL, type IcalComponent } from '@davmesh/ical';

type IcalTime = InstanceType<typeof ICAL.Time>;
type IcalProperty = ReturnType<IcalComponent['getAllProperties']>[number];

/**
 * A time as two copies of one event compare it: a date as `YYYYMMDD`, a floating time as
 * written, any other in UTC (`...Z`), so `RECURRENCE-ID;TZID=Europe/Berlin:20260301T100000`
 * and `RECURRENCE-ID:20260301T090000Z` name the same instance (RFC 5545 3.8.4.4).
 * Read from a component still inside its parsed root, so its TZID resolves.
 */
export function timeKey(time: IcalTime): string {
  if (time.isDate || isFloating(time)) return time.toICALString();
  return time.convertToZone(ICAL.Timezone.utcTimezone).toICALString();
}

function isFloating(time: IcalTime): boolean {
  return !time.zone || time.zone === ICAL.Timezone.localTimezone;
}

/** The instance a component overrides, by timeKey; undefined for a master. */
export function instanceKeyOf(component: IcalComponent): string | undefined {
  const recurrenceId = component.getFirstPropertyValue('recurrence-id') as IcalTime | null;
  return recurrenceId ? timeKey(recurrenceId) : undefined;
}

/** The times a multi-valued date property (EXDATE, RDATE) lists, by timeKey; a period counts by its start. */
export function listedTimes(component: IcalComponent, name: 'exdate' | 'rdate'): Map<string, IcalTime> {
  const times = new Map<string, IcalTime>();
  for (const property of component.getAllProperties(name)) {
    for (const value of property.getValues() as (IcalTime | { start: IcalTime })[]) {
      const time = 'start' in value && !(value instanceof ICAL.Time) ? value.start : (value as IcalTime);
      times.set(timeKey(time), time);
    }
  }
  return times;
}

/**
 * A property holding one time, written so it needs no VTIMEZONE: a date as a date, a floating
 * time as floating, any other in UTC.
 */
export function timeProperty(name: string, time: IcalTime): IcalProperty {
  const property = new ICAL.Property(name);
  property.setValue(time.isDate || isFloating(time) ? time.clone() : time.convertToZone(ICAL.Timezone.utcTimezone));
  return property;
}

/** The start of a component, and its end by DTEND, DUE or DURATION (RFC 5545 3.6.1, 3.6.2), as timeKeys. */
export function timesOf(component: IcalComponent): { start?: string; end?: string; due?: string } {
  const start = component.getFirstPropertyValue('dtstart') as IcalTime | null;
  const due = component.getFirstPropertyValue('due') as IcalTime | null;
  return { start: start ? timeKey(start) : undefined, end: endKey(component, start), due: due ? timeKey(due) : undefined };
}

function endKey(component: IcalComponent, start: IcalTime | null): string | undefined {
  const end = component.getFirstPropertyValue('dtend') as IcalTime | null;
  if (end) return timeKey(end);
  const duration = component.getFirstPropertyValue('duration') as InstanceType<typeof ICAL.Duration> | null;
  if (!duration) return undefined;
  if (!start) return `duration:${duration.toSeconds()}`;
  const computed = start.clone();
  computed.addDuration(duration);
  return timeKey(computed);
}

/** How long a component lasts, in seconds, by DTEND or DURATION; undefined without either. */
export function lengthOf(component: IcalComponent): number | undefined {
  const start = component.getFirstPropertyValue('dtstart') as IcalTime | null;
  const end = component.getFirstPropertyValue('dtend') as IcalTime | null;
  if (start && end) return end.subtractDateTz(start).toSeconds();
  const duration = component.getFirstPropertyValue('duration') as InstanceType<typeof ICAL.Duration> | null;
  return duration ? duration.toSeconds() : undefined;
}

/** A property holding one time in the zone it was read in: TZID written when the zone has one (RFC 5545 3.2.19). */
export function zonedTimeProperty(name: string, time: IcalTime): IcalProperty {
  const property = new ICAL.Property(name);
  property.setValue(time.clone());
  const tzid = time.zone?.tzid;
  if (!time.isDate && tzid && time.zone !== ICAL.Timezone.utcTimezone && time.zone !== ICAL.Timezone.localTimezone) property.setParameter('tzid', tzid);
  return property;
}

/** `time` in the zone of `model` (a DTSTART), so a value written beside it reads alike. */
export function inZoneOf(time: IcalTime, model: IcalTime | null): IcalTime {
  if (!model || time.isDate || model.isDate || !model.zone || isFloating(model) || isFloating(time)) return time;
  return time.convertToZone(model.zone);
}
