import { type ICAL, type IcalComponent } from '@davmesh/ical';
import { type AppliedMessage, checkSameEvent } from './apply-request';
import { inZoneOf, listedTimes, timeKey, zonedTimeProperty } from './instance-keys';
import { serialize } from './itip-message';
import { DEFAULT_ITIP_LIMITS, type ItipOptions } from './itip-limits';
import { componentsOf, readItipMessage, readSchedulingObject } from './scheduling-object';
import { sequenceOf } from './significant-change';

type IcalTime = InstanceType<typeof ICAL.Time>;

/**
 * The attendee's copy after an organizer's CANCEL (RFC 5546 3.2.5, RFC 6638 4.1). The whole
 * event (a component without RECURRENCE-ID): every component kept with STATUS:CANCELLED, so the
 * attendee sees what was called off until they delete it. Single instances: an EXDATE on the
 * master and their override removed; without a master, the override kept with STATUS:CANCELLED.
 * A component with a SEQUENCE below the copy's is older than it and passed over. Refused: another
 * UID or ORGANIZER than the copy's.
 */
export function applyCancel(existing: string, cancel: string, options: ItipOptions = {}): AppliedMessage {
  const limits = options.limits ?? DEFAULT_ITIP_LIMITS;
  const message = readItipMessage(cancel, 'CANCEL', limits);
  const copy = readSchedulingObject(existing, limits);
  checkSameEvent(copy, message);
  let changed = false;
  if (message.master) {
    const sequence = sequenceOf(message.master);
    if (componentsOf(copy).every((component) => sequence >= sequenceOf(component))) {
      for (const component of componentsOf(copy)) cancelled(component, sequence);
      changed = true;
    }
  }
  for (const [key, instance] of message.overrides) {
    const override = copy.overrides.get(key);
    const current = override ?? copy.master;
    if (!current || sequenceOf(instance) < sequenceOf(current)) continue;
    if (copy.master) {
      excluded(copy.master, instance.getFirstPropertyValue('recurrence-id') as IcalTime, key);
      if (override) copy.root.removeSubcomponent(override);
    } else cancelled(override!, sequenceOf(instance));
    changed = true;
  }
  return changed ? { ical: serialize(copy.root), changed, consequential: true } : { ical: existing, changed, consequential: false };
}

function cancelled(component: IcalComponent, sequence: number): void {
  component.updatePropertyWithValue('status', 'CANCELLED');
  if (sequence > sequenceOf(component)) component.updatePropertyWithValue('sequence', sequence);
}

/** An EXDATE for the instance, written like the master's DTSTART. */
function excluded(master: IcalComponent, instance: IcalTime, key: string): void {
  if (listedTimes(master, 'exdate').has(key)) return;
  const start = master.getFirstPropertyValue('dtstart') as IcalTime | null;
  const time = inZoneOf(instance, start);
  if (timeKey(time) === key) master.addProperty(zonedTimeProperty('exdate', time));
}
