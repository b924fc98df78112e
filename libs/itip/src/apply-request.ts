import { type ICAL, type IcalComponent } from '@davmesh/ical';
import { type CalendarUser, isAddressOf } from './calendar-user';
import { comparableText, differingNames, isPersonalProperty, type ComparisonRules } from './canonical-form';
import { listedTimes, timeKey } from './instance-keys';
import { addZones, copyOf, copyProperty, newCalendar, serialize } from './itip-message';
import { DEFAULT_ITIP_LIMITS, SchedulingRefused, type ItipLimits, type ItipOptions } from './itip-limits';
import { addressOf, attendeeIn, parameterOf, partstatOf, SERVER_PARAMETERS, withoutServerParameters } from './participants';
import { overrideFromMaster, instanceAt } from './recurrence-instance';
import { componentsOf, readItipMessage, readSchedulingObject, type SchedulingObject } from './scheduling-object';
import { isRescheduled, movesInstance, sequenceOf } from './significant-change';

type IcalTime = InstanceType<typeof ICAL.Time>;

/** A copy after an incoming message was applied to it. */
export interface AppliedMessage {
  /** The copy to store (the one given, unchanged, when `changed` is false). */
  ical: string;
  /** False when the message changed nothing, or was older than the copy (RFC 5546 2.1.5: a lower SEQUENCE). */
  changed: boolean;
  /**
   * True when the copy changed beyond attendees' participation: for an attendee's copy, the
   * Schedule-Tag changes (RFC 6638 3.2.10); a REPLY never is.
   */
  consequential: boolean;
}

/** Properties of a component that are the attendee's own (RFC 6638 3.2.2.1): kept from their copy over the organizer's. */
const ATTENDEE_PROPERTIES = ['transp', 'percent-complete', 'completed'];

/** Comparing two copies for what concerns the attendee: all but participation, alarms and stamps. */
const CONSEQUENCE_RULES: ComparisonRules = {
  ignoreProperty: (name) => ['dtstamp', 'last-modified', 'created', ...ATTENDEE_PROPERTIES].includes(name) || isPersonalProperty(name),
  ignoreParameter: (property, parameter) =>
    (SERVER_PARAMETERS as readonly string[]).includes(parameter) || (property === 'attendee' && ['partstat', 'rsvp'].includes(parameter)),
  ignoreComponent: (name) => name === 'valarm',
};

/** Comparing two copies for any change worth storing. */
const CHANGE_RULES: ComparisonRules = {
  ignoreProperty: (name) => name === 'dtstamp',
  ignoreParameter: () => false,
  ignoreComponent: () => false,
};

/**
 * The attendee's copy after an organizer's REQUEST (RFC 5546 3.2.2, RFC 6638 4.1): a new
 * object, or an update of `existing`, per instance. What the attendee owns stays as their copy
 * had it: alarms, TRANSP, PERCENT-COMPLETE, COMPLETED, Thunderbird's bookkeeping, the ORGANIZER's
 * SCHEDULE-STATUS, and their PARTSTAT, which only a reschedule (RFC 6638 3.2.8) sets back to
 * NEEDS-ACTION. A REQUEST with the master replaces the series: an override of the copy it does
 * not carry stays only when the attendee made it (it changes nothing of the organizer's), the
 * series was not rescheduled and its instance still exists. A REQUEST of instances only updates
 * or adds those. Refused: another UID or ORGANIZER than the copy's, or a REQUEST that does not
 * name the attendee.
 */
export function applyRequest(existing: string | undefined, request: string, attendee: CalendarUser, options: ItipOptions = {}): AppliedMessage {
  const limits = options.limits ?? DEFAULT_ITIP_LIMITS;
  const message = readItipMessage(request, 'REQUEST', limits);
  const copy = existing === undefined ? undefined : readSchedulingObject(existing, limits);
  const address = addressIn(message, attendee);
  if (copy) checkSameEvent(copy, message);
  const fresh = (incoming: IcalComponent, previous: IcalComponent | undefined, counterpart: boolean) => {
    const outdated = previous && counterpart && sequenceOf(incoming) < sequenceOf(previous);
    if (outdated) return copyOf(previous, copy!.root);
    const rescheduled = previous ? (counterpart ? isRescheduled(previous, incoming) : movesInstance(previous, incoming)) : false;
    return withAttendeeBits(copyOf(incoming, message.root), previous, address, rescheduled);
  };
  const result = newCalendar();
  // A master older than the copy's (RFC 5546 2.1.5) replaces nothing; its instances still count one by one.
  const replacesSeries = message.master !== undefined && !(copy?.master && sequenceOf(message.master) < sequenceOf(copy.master));
  if (message.master && replacesSeries) {
    result.addSubcomponent(fresh(message.master, copy?.master, true));
    for (const [key, override] of message.overrides) {
      const previous = copy?.overrides.get(key);
      result.addSubcomponent(fresh(override, previous ?? copy?.master, previous !== undefined));
    }
    for (const [key, override] of copy?.overrides ?? []) {
      if (message.overrides.has(key)) continue;
      const kept = attendeesOverride(copy!, key, override, message, address, limits);
      if (kept) result.addSubcomponent(kept);
    }
  } else {
    const master = copy?.master ? copyOf(copy.master, copy.root) : undefined;
    if (master) result.addSubcomponent(master);
    for (const [key, override] of copy?.overrides ?? []) if (!message.overrides.has(key)) result.addSubcomponent(copyOf(override, copy!.root));
    for (const [key, override] of message.overrides) {
      const previous = copy?.overrides.get(key);
      if (master) withoutExdate(master, key);
      result.addSubcomponent(fresh(override, previous ?? copy?.master, previous !== undefined));
    }
  }
  addZones(result, [message.root, ...(copy ? [copy.root] : [])]);
  const ical = serialize(result);
  if (!copy) return { ical, changed: true, consequential: true };
  const updated = readSchedulingObject(ical, limits);
  const changed = differs(copy, updated, CHANGE_RULES);
  return changed ? { ical, changed, consequential: differs(copy, updated, CONSEQUENCE_RULES) } : { ical: existing!, changed: false, consequential: false };
}

/** The address by which the message names the attendee; refused when it names them nowhere. */
export function addressIn(message: SchedulingObject, attendee: CalendarUser): string {
  for (const component of componentsOf(message)) {
    for (const property of component.getAllProperties('attendee')) if (isAddressOf(attendee, addressOf(property))) return addressOf(property);
  }
  throw new SchedulingRefused('valid-scheduling-message', `the message does not name ${attendee.address} as an attendee`);
}

/** A message may change only the copy of its own event, from its own organizer (RFC 5546 3.2, RFC 6638 4.1). */
export function checkSameEvent(copy: SchedulingObject, message: SchedulingObject): void {
  if (copy.uid !== message.uid) throw new SchedulingRefused('valid-scheduling-message', 'the message is about another event (UID) than the copy');
  if (copy.organizer !== message.organizer) throw new SchedulingRefused('valid-organizer', 'the message comes from another organizer than the copy names');
}

/** The organizer's component with what the attendee owns taken from their copy of it (or of the master, for a new instance). */
function withAttendeeBits(component: IcalComponent, previous: IcalComponent | undefined, address: string, rescheduled: boolean): IcalComponent {
  withoutServerParameters(component);
  for (const property of [...component.getAllProperties()]) if (isPersonalProperty(property.name)) component.removeProperty(property);
  component.removeAllSubcomponents('valarm');
  const own = attendeeIn(component, address);
  if (own && rescheduled) own.setParameter('partstat', 'NEEDS-ACTION');
  if (!previous) return component;
  for (const alarm of previous.getAllSubcomponents('valarm')) component.addSubcomponent(copyOf(alarm, component));
  for (const property of previous.getAllProperties()) {
    if (!ATTENDEE_PROPERTIES.includes(property.name) && !isPersonalProperty(property.name)) continue;
    component.removeAllProperties(property.name);
  }
  for (const property of previous.getAllProperties()) {
    if (ATTENDEE_PROPERTIES.includes(property.name) || isPersonalProperty(property.name)) component.addProperty(copyProperty(property));
  }
  const earlier = attendeeIn(previous, address);
  if (own && earlier && !rescheduled) own.setParameter('partstat', partstatOf(earlier));
  const earlierOrganizer = previous.getFirstProperty('organizer');
  const organizer = component.getFirstProperty('organizer');
  for (const name of ['schedule-status', 'schedule-agent']) {
    const value = earlierOrganizer ? parameterOf(earlierOrganizer, name) : undefined;
    if (organizer && value !== undefined) organizer.setParameter(name, value);
  }
  return component;
}

/**
 * An override of the copy that a REQUEST with the master leaves out: kept, rebuilt on the new
 * master, when the attendee made it (it differs from the old master only in what they own), the
 * series was not rescheduled, and its instance still exists; dropped otherwise.
 */
function attendeesOverride(copy: SchedulingObject, key: string, override: IcalComponent, message: SchedulingObject, address: string, limits: ItipLimits): IcalComponent | undefined {
  const oldMaster = copy.master;
  const newMaster = message.master!;
  if (!oldMaster || isRescheduled(oldMaster, newMaster) || listedTimes(newMaster, 'exdate').has(key)) return undefined;
  if (movesInstance(oldMaster, override) || differingNames(oldMaster, override, OWN_OVERRIDE_RULES).length > 0) return undefined;
  const instance = instanceAt(newMaster, override.getFirstPropertyValue('recurrence-id') as IcalTime, limits);
  if (!instance) return undefined;
  return withAttendeeBits(overrideFromMaster(newMaster, instance, message.root), override, address, false);
}

/** An override that changes nothing of the organizer's against its master. */
const OWN_OVERRIDE_RULES: ComparisonRules = {
  ...CONSEQUENCE_RULES,
  ignoreProperty: (name) => CONSEQUENCE_RULES.ignoreProperty(name) || ['sequence', 'recurrence-id', 'rrule', 'rdate', 'exdate', 'dtstart', 'dtend', 'duration', 'due'].includes(name),
};

function withoutExdate(master: IcalComponent, key: string): void {
  for (const property of master.getAllProperties('exdate')) {
    const values = property.getValues() as IcalTime[];
    const kept = values.filter((time) => timeKey(time) !== key);
    if (kept.length === 0) master.removeProperty(property);
    else if (kept.length !== values.length) property.setValues(kept);
  }
}

function differs(a: SchedulingObject, b: SchedulingObject, rules: ComparisonRules): boolean {
  const text = (object: SchedulingObject) =>
    [...(object.master ? [['', object.master] as const] : []), ...object.overrides]
      .map(([key, component]) => `${key}\n${comparableText(component, rules)}`)
      .sort()
      .join('\n\n');
  return text(a) !== text(b);
}
