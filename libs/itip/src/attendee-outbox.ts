import { type ICAL, type IcalComponent } from '@davmesh/ical';
import { isAddressOf, type CalendarUser } from './calendar-user';
import { differingNames, type ComparisonRules } from './canonical-form';
import { listedTimes } from './instance-keys';
import { addZones, identifyingComponent, MessageBudget, newCalendar, serialize, type ItipMessage } from './itip-message';
import { DEFAULT_ITIP_LIMITS, type ItipOptions } from './itip-limits';
import { addressOf, agentOf, attendeeIn, parameterOf, partstatOf, type IcalProperty } from './participants';
import { componentsOf, readSchedulingObject, type SchedulingObject } from './scheduling-object';
import { movesInstance, sequenceOf } from './significant-change';

type IcalTime = InstanceType<typeof ICAL.Time>;

/** A change an attendee made that RFC 6638 3.2.2.1 leaves to the organizer. */
export interface DisallowedChange {
  /** The instance (its RECURRENCE-ID as a timeKey); absent for the master. */
  instance?: string;
  /** The property (uppercase), or the component's name when a component was removed. */
  property: string;
}

/** What an attendee's PUT or DELETE of their copy of a scheduling object resource sends (RFC 6638 3.2.2). */
export interface AttendeeScheduling {
  /** At most one REPLY, to the organizer. */
  messages: ItipMessage[];
  /**
   * The text to store instead of `after` (undefined on DELETE): SCHEDULE-FORCE-SEND removed
   * (RFC 6638 7.2), the other attendees' PARTSTAT and SCHEDULE-STATUS and the ORGANIZER's
   * SCHEDULE-STATUS as `before` had them (the server keeps those, 3.2.10.1). `after` itself
   * when nothing of that applies.
   */
  stored?: string;
  /**
   * Changes beyond what an attendee may make (3.2.2.1): the caller may refuse the PUT with
   * CALDAV:allowed-attendee-scheduling-object-change (3.2.4.4). Nothing of them is sent.
   */
  disallowed: DisallowedChange[];
}

/** What an attendee may change (RFC 6638 3.2.2.1); SEQUENCE and X- properties pass too, as clients rewrite them. */
const ATTENDEE_RULES: ComparisonRules = {
  ignoreProperty: (name) =>
    ['dtstamp', 'last-modified', 'created', 'sequence', 'transp', 'percent-complete', 'completed', 'exdate'].includes(name) || name.startsWith('x-'),
  ignoreParameter: (property, parameter) =>
    ['schedule-status', 'schedule-agent', 'schedule-force-send'].includes(parameter) || (property === 'attendee' && ['partstat', 'rsvp'].includes(parameter)),
  ignoreComponent: (name) => name === 'valarm',
};

/** An override the attendee added against the master: only the instance's own properties may differ. */
const NEW_OVERRIDE_RULES: ComparisonRules = {
  ...ATTENDEE_RULES,
  ignoreProperty: (name) => ATTENDEE_RULES.ignoreProperty(name) || ['recurrence-id', 'rrule', 'rdate', 'dtstart', 'dtend', 'duration', 'due'].includes(name),
};

interface AttendeeCopy {
  object: SchedulingObject;
  /** The attendee's own address, as the copy names them (normalised). */
  address: string;
}

/**
 * The REPLY an attendee's change of their copy sends to the organizer (RFC 6638 3.2.2.3, 3.2.2.4):
 * their PARTSTAT changed on the master or an instance, an override added with its own PARTSTAT,
 * an EXDATE added (that instance DECLINED), or the copy deleted (`after` undefined: DECLINED
 * wherever they were invited, unless already so or the event is cancelled). Nothing when the
 * ORGANIZER's SCHEDULE-AGENT is CLIENT or NONE; everything as it stands with
 * SCHEDULE-FORCE-SEND=REPLY on the ORGANIZER. The REPLY holds only the attendee's ATTENDEE
 * line (RFC 5546 3.2.3). The caller skips this for a DELETE with `Schedule-Reply: F` (8.1).
 */
export function attendeeOutbox(before: string | undefined, after: string | undefined, attendee: CalendarUser, options: ItipOptions = {}): AttendeeScheduling {
  const limits = options.limits ?? DEFAULT_ITIP_LIMITS;
  const now = options.now ?? new Date();
  const was = before === undefined ? undefined : attendeesOwn(readSchedulingObject(before, limits), attendee);
  const is = after === undefined ? undefined : attendeesOwn(readSchedulingObject(after, limits), attendee);
  const { forced, removed } = is ? takeForcedReply(is.object) : { forced: false, removed: false };
  const restored = is && was ? keepServerState(was, is) : false;
  const result: AttendeeScheduling = { messages: [], stored: is && (removed || restored) ? serialize(is.object.root) : after, disallowed: is && was ? disallowedChanges(was, is) : [] };
  const current = is ?? was;
  if (!current || !organizerSchedules(current.object)) return result;
  const replies = is ? (forced ? everyInstance(is) : was ? changedInstances(was, is) : []) : declinedEverywhere(was!);
  if (replies.length === 0) return result;
  const calendar = newCalendar('REPLY');
  for (const reply of replies) calendar.addSubcomponent(replyComponent(current, reply, now));
  addZones(calendar, [current.object.root]);
  const ical = new MessageBudget(limits).charge(serialize(calendar));
  result.messages.push({ method: 'REPLY', uid: current.object.uid, originator: current.address, recipients: [current.object.organizer!], ical });
  return result;
}

function attendeesOwn(object: SchedulingObject, attendee: CalendarUser): AttendeeCopy | undefined {
  if (object.kind === 'vjournal' || object.organizer === undefined || isAddressOf(attendee, object.organizer)) return undefined;
  for (const component of componentsOf(object)) {
    for (const property of component.getAllProperties('attendee')) if (isAddressOf(attendee, addressOf(property))) return { object, address: addressOf(property) };
  }
  return undefined;
}

function organizerSchedules(object: SchedulingObject): boolean {
  const organizer = componentsOf(object)[0].getFirstProperty('organizer');
  return organizer !== null && agentOf(organizer) === 'SERVER';
}

/** RFC 6638 7.2: SCHEDULE-FORCE-SEND=REPLY on the ORGANIZER; any SCHEDULE-FORCE-SEND is dropped from the copy. */
function takeForcedReply(object: SchedulingObject): { forced: boolean; removed: boolean } {
  let forced = false;
  let removed = false;
  for (const component of componentsOf(object)) {
    for (const property of [...component.getAllProperties('organizer'), ...component.getAllProperties('attendee')]) {
      if (parameterOf(property, 'schedule-force-send') === undefined) continue;
      forced ||= property.name === 'organizer' && parameterOf(property, 'schedule-force-send')!.toUpperCase() === 'REPLY';
      property.removeParameter('schedule-force-send');
      removed = true;
    }
  }
  return { forced, removed };
}

/** The other attendees' PARTSTAT and SCHEDULE-STATUS, and the ORGANIZER's SCHEDULE-STATUS, as the server had them. */
function keepServerState(was: AttendeeCopy, is: AttendeeCopy): boolean {
  let changed = false;
  const restore = (property: IcalProperty, earlier: IcalProperty | undefined, names: string[]) => {
    for (const name of names) {
      const value = earlier ? parameterOf(earlier, name) : undefined;
      if (value !== undefined && parameterOf(property, name) !== value) {
        property.setParameter(name, value);
        changed = true;
      }
    }
  };
  for (const component of componentsOf(is.object)) {
    const key = instanceOf(is.object, component);
    const previous = key === undefined ? was.object.master : (was.object.overrides.get(key) ?? was.object.master);
    if (!previous) continue;
    const organizer = component.getFirstProperty('organizer');
    if (organizer) restore(organizer, previous.getFirstProperty('organizer') ?? undefined, ['schedule-status']);
    for (const other of component.getAllProperties('attendee')) {
      if (addressOf(other) !== is.address) restore(other, attendeeIn(previous, addressOf(other)), ['partstat', 'schedule-status']);
    }
  }
  return changed;
}

function instanceOf(object: SchedulingObject, component: IcalComponent): string | undefined {
  for (const [key, override] of object.overrides) if (override === component) return key;
  return undefined;
}

/** One component of a REPLY: the instance (undefined for the master), the component it is read from, the PARTSTAT. */
interface Reply {
  instance?: { key: string; time: IcalTime };
  source: IcalComponent;
  partstat: string;
}

/** The attendee's PARTSTAT on the master (key undefined) or an instance: its override's, DECLINED when excluded, else the master's. */
function partstatIn(copy: AttendeeCopy, key?: string): string | undefined {
  const { master, overrides } = copy.object;
  const own = (component: IcalComponent | undefined) => {
    const attendee = component && attendeeIn(component, copy.address);
    return attendee ? partstatOf(attendee) : undefined;
  };
  if (key === undefined) return own(master);
  if (overrides.has(key)) return own(overrides.get(key));
  if (master && listedTimes(master, 'exdate').has(key)) return 'DECLINED';
  return own(master);
}

/** RFC 6638 3.2.2.3: the components whose PARTSTAT changed, per instance. */
function changedInstances(was: AttendeeCopy, is: AttendeeCopy): Reply[] {
  const replies: Reply[] = [];
  const master = is.object.master;
  const masterChanged = master !== undefined && partstatIn(is) !== undefined && partstatIn(is) !== partstatIn(was);
  if (masterChanged) replies.push({ source: master, partstat: partstatIn(is)! });
  const instances = new Map<string, IcalTime>();
  for (const copy of [was, is]) for (const [key, override] of copy.object.overrides) instances.set(key, override.getFirstPropertyValue('recurrence-id') as IcalTime);
  const excludedBefore = was.object.master ? listedTimes(was.object.master, 'exdate') : new Map<string, IcalTime>();
  if (master) for (const [key, time] of listedTimes(master, 'exdate')) if (!excludedBefore.has(key)) instances.set(key, time);
  for (const [key, time] of instances) {
    const answer = partstatIn(is, key);
    if (answer === undefined || answer === partstatIn(was, key)) continue;
    const override = is.object.overrides.get(key);
    // An instance that follows the master is answered by the master's component.
    if (!override && answer !== 'DECLINED' && masterChanged) continue;
    const source = override ?? master;
    if (source) replies.push({ instance: { key, time }, source, partstat: answer });
  }
  return replies;
}

/** SCHEDULE-FORCE-SEND=REPLY: every component that names the attendee, as it stands. */
function everyInstance(copy: AttendeeCopy): Reply[] {
  return componentsOf(copy.object)
    .filter((component) => attendeeIn(component, copy.address) !== undefined)
    .map((component) => ({ instance: instanceFrom(copy.object, component), source: component, partstat: partstatOf(attendeeIn(component, copy.address)!) }));
}

/** RFC 6638 3.2.2.4: removing the copy declines every component that names the attendee, but for those declined already. */
function declinedEverywhere(copy: AttendeeCopy): Reply[] {
  const cancelled = componentsOf(copy.object).every((component) => String(component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED');
  if (cancelled) return [];
  const replies = everyInstance(copy).filter((reply) => reply.partstat !== 'DECLINED');
  return replies.map((reply) => ({ ...reply, partstat: 'DECLINED' }));
}

function instanceFrom(object: SchedulingObject, component: IcalComponent): Reply['instance'] {
  const key = instanceOf(object, component);
  return key === undefined ? undefined : { key, time: component.getFirstPropertyValue('recurrence-id') as IcalTime };
}

function replyComponent(copy: AttendeeCopy, reply: Reply, now: Date): IcalComponent {
  const own = attendeeIn(reply.source, copy.address) ?? (copy.object.master && attendeeIn(copy.object.master, copy.address));
  const component = identifyingComponent(reply.source, { uid: copy.object.uid, sequence: sequenceOf(reply.source), now, attendees: own ? [own] : [], instance: reply.instance?.time });
  const attendee = component.getFirstProperty('attendee');
  attendee?.setParameter('partstat', reply.partstat);
  attendee?.removeParameter('rsvp');
  return component;
}

/** RFC 6638 3.2.2.1: what the attendee changed beyond their own participation, alarms and bookkeeping. */
function disallowedChanges(was: AttendeeCopy, is: AttendeeCopy): DisallowedChange[] {
  const found: DisallowedChange[] = [];
  const report = (instance: string | undefined, names: string[]) => {
    for (const property of names) found.push(instance === undefined ? { property: property.toUpperCase() } : { instance, property: property.toUpperCase() });
  };
  const { master: wasMaster, overrides: wasOverrides } = was.object;
  const { master: isMaster, overrides: isOverrides } = is.object;
  if (wasMaster && !isMaster) report(undefined, [wasMaster.name]);
  if (wasMaster && isMaster) {
    report(undefined, differingNames(wasMaster, isMaster, ATTENDEE_RULES));
    const excluded = listedTimes(isMaster, 'exdate');
    if ([...listedTimes(wasMaster, 'exdate').keys()].some((key) => !excluded.has(key))) report(undefined, ['exdate']);
  }
  const excludedNow = isMaster ? listedTimes(isMaster, 'exdate') : new Map<string, IcalTime>();
  for (const [key, override] of wasOverrides) {
    const kept = isOverrides.get(key);
    if (kept) report(key, differingNames(override, kept, ATTENDEE_RULES));
    // 3.2.2.1 item 8: an override may go with an EXDATE for its instance.
    else if (!excludedNow.has(key)) report(key, [override.name]);
  }
  for (const [key, override] of isOverrides) {
    if (wasOverrides.has(key)) continue;
    // Item 11: an override the attendee adds may differ from the master only as items 1 to 10 allow.
    if (!wasMaster) report(key, [override.name]);
    else report(key, [...differingNames(wasMaster, override, NEW_OVERRIDE_RULES), ...(movesInstance(wasMaster, override) ? ['dtstart'] : [])]);
  }
  return found;
}
