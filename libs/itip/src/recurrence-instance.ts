import { ICAL, RecurrenceLimitExceeded, recurrenceBudget, withinRecurrenceBudget, type IcalComponent, type IcalLimits } from '@davmesh/ical';
import { inZoneOf, timeKey, zonedTimeProperty } from './instance-keys';

type IcalTime = InstanceType<typeof ICAL.Time>;

/**
 * The instance of a master's recurrence set (RRULE, RDATE, EXDATE; or DTSTART alone) that
 * starts at `time`, in the master's own zone; undefined when it has none there, or when
 * finding out would take more than the recurrence budget (libs/ical's bound on a PUT).
 */
export function instanceAt(master: IcalComponent, time: IcalTime, limits: IcalLimits): IcalTime | undefined {
  const start = master.getFirstPropertyValue('dtstart') as IcalTime | null;
  if (!start) return undefined;
  const key = timeKey(time);
  if (!master.hasProperty('rrule') && !master.hasProperty('rdate')) return timeKey(start) === key ? start : undefined;
  const target = time.toUnixTime();
  try {
    return withinRecurrenceBudget(recurrenceBudget(limits.recurrenceSteps, limits.recurrenceMillis), () => {
      const iterator = new ICAL.Event(master).iterator();
      for (let slot: IcalTime | null = iterator.next(); slot; slot = iterator.next()) {
        if (timeKey(slot) === key) return slot;
        if (slot.toUnixTime() > target) return undefined;
      }
      return undefined;
    });
  } catch (error) {
    if (error instanceof RecurrenceLimitExceeded) return undefined;
    throw error;
  }
}

/**
 * A new override for one instance of a master (RFC 5545 3.8.4.4): the master's properties
 * without its recurrence set, RECURRENCE-ID and DTSTART at the instance, DTEND or DUE moved
 * along, in the master's zones; its times read in `root`'s zones.
 */
export function overrideFromMaster(master: IcalComponent, instance: IcalTime, root: IcalComponent): IcalComponent {
  const override = new ICAL.Component(JSON.parse(JSON.stringify(master.toJSON())) as unknown[], root);
  for (const name of ['rrule', 'rdate', 'exdate', 'recurrence-id']) override.removeAllProperties(name);
  const start = master.getFirstPropertyValue('dtstart') as IcalTime;
  for (const name of ['dtend', 'due']) {
    const end = master.getFirstPropertyValue(name) as IcalTime | null;
    if (!end) continue;
    const moved = instance.clone();
    moved.addDuration(end.subtractDateTz(start));
    replaceProperty(override, zonedTimeProperty(name, inZoneOf(moved, end)));
  }
  replaceProperty(override, zonedTimeProperty('dtstart', instance));
  override.addProperty(zonedTimeProperty('recurrence-id', instance));
  return override;
}

function replaceProperty(component: IcalComponent, property: InstanceType<typeof ICAL.Property>): void {
  component.removeAllProperties(property.name);
  component.addProperty(property);
}
