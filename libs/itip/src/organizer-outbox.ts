import { type ICAL, type IcalComponent } from '@davmesh/ical';
import { isAddressOf, type CalendarUser } from './calendar-user';
import { comparableText, isPersonalProperty, type ComparisonRules } from './canonical-form';
import { listedTimes, timeProperty } from './instance-keys';
import { addZones, identifyingComponent, MessageBudget, messageCopyOf, newCalendar, serialize, type ItipMessage } from './itip-message';
import { DEFAULT_ITIP_LIMITS, type ItipLimits, type ItipOptions } from './itip-limits';
import { addressOf, agentOf, attendeeIn, parameterOf, partstatOf, type IcalProperty } from './participants';
import { componentsOf, readSchedulingObject, type SchedulingObject } from './scheduling-object';
import { isRescheduled, movesInstance, needsNewSequence, sequenceOf } from './significant-change';

type IcalTime = InstanceType<typeof ICAL.Time>;

/** What an organizer's PUT or DELETE of a scheduling object resource sends (RFC 6638 3.2.1). */
export interface OrganizerScheduling {
  /** The messages, every CANCEL before every REQUEST (a recipient may get one of each, in that order). */
  messages: ItipMessage[];
  /**
   * The text to store instead of `after` (undefined on DELETE): SCHEDULE-FORCE-SEND removed
   * (RFC 6638 7.2), each attendee's PARTSTAT and SCHEDULE-STATUS kept from `before` (they are
   * the attendee's replies and the server's deliveries, not the client's to set), reset to
   * NEEDS-ACTION where a component was rescheduled (3.2.8), SEQUENCE raised where RFC 5546
   * 2.1.4 asks for it. `after` itself, byte for byte, when none of that applies.
   */
  stored?: string;
  /** True when some component was rescheduled: its attendees were reset to NEEDS-ACTION. */
  rescheduled: boolean;
}

/** Comparing what an attendee was sent with what they would be sent now. */
const VIEW_RULES: ComparisonRules = {
  ignoreProperty: (name) => ['dtstamp', 'last-modified', 'created', 'sequence'].includes(name) || isPersonalProperty(name),
  ignoreParameter: (property, parameter) =>
    ['schedule-status', 'schedule-agent', 'schedule-force-send'].includes(parameter) ||
    (property === 'attendee' && ['partstat', 'rsvp'].includes(parameter)),
  ignoreComponent: (name) => name === 'valarm',
};

/**
 * The scheduling messages of an organizer's change of a scheduling object resource, from
 * `before` (undefined on create) to `after` (undefined on DELETE), per attendee and per
 * instance (RFC 6638 3.2.1, 3.2.6):
 * - REQUEST to an attendee newly scheduled, or whose view of the event changed (beyond other
 *   attendees' participation), or marked SCHEDULE-FORCE-SEND=REQUEST;
 * - CANCEL of the whole event to an attendee no longer scheduled (removed, or made
 *   SCHEDULE-AGENT=CLIENT or NONE, or the object deleted or no longer the organizer's), and
 *   of single instances (RECURRENCE-ID) to one who no longer attends them: excluded by EXDATE,
 *   or removed from an override;
 * - nothing to SCHEDULE-AGENT=CLIENT or NONE attendees, nor to the organizer.
 * A side that is not the user's organizer scheduling object (no ORGANIZER, another ORGANIZER,
 * a VJOURNAL) counts as absent. Each attendee's messages carry only the instances that name
 * them: the master with an EXDATE for each override without them, and the overrides with them.
 */
export function organizerOutbox(before: string | undefined, after: string | undefined, organizer: CalendarUser, options: ItipOptions = {}): OrganizerScheduling {
  const limits = options.limits ?? DEFAULT_ITIP_LIMITS;
  const now = options.now ?? new Date();
  const was = before === undefined ? undefined : organizersOwn(readSchedulingObject(before, limits), organizer);
  const is = after === undefined ? undefined : organizersOwn(readSchedulingObject(after, limits), organizer);
  if (!is) return { messages: was ? schedule(was, undefined, organizer, now, limits) : [], stored: after, rescheduled: false };
  const { forced, removed } = takeForcedRequests(is);
  const { changed, rescheduled } = settle(was, is);
  const messages = schedule(was, is, organizer, now, limits, forced);
  return { messages, stored: changed || removed ? serialize(is.root) : after, rescheduled };
}

function organizersOwn(object: SchedulingObject, organizer: CalendarUser): SchedulingObject | undefined {
  if (object.kind === 'vjournal' || object.organizer === undefined || !isAddressOf(organizer, object.organizer)) return undefined;
  return object;
}

/** RFC 6638 7.2: attendees marked SCHEDULE-FORCE-SEND=REQUEST; the parameter is never stored, so it is dropped. */
function takeForcedRequests(object: SchedulingObject): { forced: Set<string>; removed: boolean } {
  const forced = new Set<string>();
  let removed = false;
  for (const component of componentsOf(object)) {
    for (const property of [...component.getAllProperties('attendee'), ...component.getAllProperties('organizer')]) {
      const value = parameterOf(property, 'schedule-force-send');
      if (value === undefined) continue;
      if (property.name === 'attendee' && value.toUpperCase() === 'REQUEST') forced.add(addressOf(property));
      property.removeParameter('schedule-force-send');
      removed = true;
    }
  }
  return { forced, removed };
}

/**
 * Brings `is` to what the server stores: attendees' PARTSTAT and SCHEDULE-STATUS as `was` had
 * them, or NEEDS-ACTION where the component was rescheduled; SEQUENCE above `was`'s where due.
 * A new override compares with the master's instance it replaces.
 */
function settle(was: SchedulingObject | undefined, is: SchedulingObject): { changed: boolean; rescheduled: boolean } {
  let changed = false;
  let rescheduled = false;
  for (const [key, component] of entriesOf(is)) {
    const own = key === undefined ? was?.master : was?.overrides.get(key);
    const previous = own ?? (key !== undefined ? was?.master : undefined);
    if (!previous) continue;
    const moved = own ? isRescheduled(own, component) : movesInstance(previous, component);
    rescheduled ||= moved;
    for (const attendee of component.getAllProperties('attendee')) {
      const address = addressOf(attendee);
      if (address === is.organizer || agentOf(attendee) !== 'SERVER') continue;
      const earlier = attendeeIn(previous, address);
      const partstat = moved ? 'NEEDS-ACTION' : earlier ? partstatOf(earlier) : undefined;
      if (partstat !== undefined && parameterOf(attendee, 'partstat')?.toUpperCase() !== partstat) {
        attendee.setParameter('partstat', partstat);
        changed = true;
      }
      const status = earlier ? parameterOf(earlier, 'schedule-status') : undefined;
      if (status !== undefined && parameterOf(attendee, 'schedule-status') !== status) {
        attendee.setParameter('schedule-status', status);
        changed = true;
      }
    }
    const due = own ? needsNewSequence(own, component) : moved;
    if (due && sequenceOf(component) <= sequenceOf(previous)) {
      component.updatePropertyWithValue('sequence', sequenceOf(previous) + 1);
      changed = true;
    }
  }
  return { changed, rescheduled };
}

/** The master (key undefined) and the overrides by instance key. */
function entriesOf(object: SchedulingObject): [string | undefined, IcalComponent][] {
  return [...(object.master ? [[undefined, object.master] as [undefined, IcalComponent]] : []), ...object.overrides];
}

/** What one attendee is sent of an object (RFC 6638 3.2.6). */
interface View {
  /** The master, when it names the attendee; the instances overridden without them become EXDATEs. */
  master?: IcalComponent;
  excluded: Map<string, IcalTime>;
  overrides: Map<string, IcalComponent>;
}

function isScheduled(component: IcalComponent, address: string): boolean {
  const attendee = attendeeIn(component, address);
  return attendee !== undefined && agentOf(attendee) === 'SERVER';
}

function viewOf(object: SchedulingObject | undefined, address: string): View | undefined {
  if (!object) return undefined;
  const master = object.master && isScheduled(object.master, address) ? object.master : undefined;
  const overrides = new Map<string, IcalComponent>();
  const excluded = new Map<string, IcalTime>();
  for (const [key, override] of object.overrides) {
    if (isScheduled(override, address)) overrides.set(key, override);
    else if (master) excluded.set(key, override.getFirstPropertyValue('recurrence-id') as IcalTime);
  }
  return master || overrides.size > 0 ? { master, excluded, overrides } : undefined;
}

/** Does the attendee attend this instance: by its override, else by the master and no EXDATE. */
function attends(object: SchedulingObject, key: string, address: string): boolean {
  const override = object.overrides.get(key);
  if (override) return isScheduled(override, address);
  return object.master !== undefined && isScheduled(object.master, address) && !listedTimes(object.master, 'exdate').has(key);
}

/** The instances, named by an override or a new EXDATE, the attendee attended in `was` and does not in `is`. */
function cancelledInstances(was: SchedulingObject, is: SchedulingObject, address: string): Map<string, IcalTime> {
  const candidates = new Map<string, IcalTime>();
  for (const object of [was, is]) {
    for (const [key, override] of object.overrides) candidates.set(key, override.getFirstPropertyValue('recurrence-id') as IcalTime);
  }
  const excludedBefore = was.master ? listedTimes(was.master, 'exdate') : new Map<string, IcalTime>();
  if (is.master) for (const [key, time] of listedTimes(is.master, 'exdate')) if (!excludedBefore.has(key)) candidates.set(key, time);
  return new Map([...candidates].filter(([key]) => attends(was, key, address) && !attends(is, key, address)));
}

/** A view as comparable text: what it says to this attendee, the instances being cancelled left out. */
function viewText(view: View, address: string, cancelled: ReadonlyMap<string, unknown>): string {
  const rules = cancelled.size === 0 ? VIEW_RULES : { ...VIEW_RULES, ignoredExdates: new Set(cancelled.keys()) };
  const own = (component: IcalComponent) => partstatOf(attendeeIn(component, address)!);
  const parts: string[] = [];
  if (view.master) parts.push(`master ${own(view.master)}\n${comparableText(view.master, rules)}`);
  for (const key of [...view.excluded.keys()].sort()) if (!cancelled.has(key)) parts.push(`excluded ${key}`);
  for (const [key, override] of [...view.overrides].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!cancelled.has(key)) parts.push(`${key} ${own(override)}\n${comparableText(override, rules)}`);
  }
  return parts.join('\n');
}

/** The messages to send, grouped: recipients sent the same content share one message. */
class Outbox {
  private readonly cancels = new Map<string, { recipients: string[]; instances?: Map<string, IcalTime> }>();
  private readonly requests = new Map<string, { recipients: string[]; view: View }>();

  cancel(address: string, instances?: Map<string, IcalTime>): void {
    const key = instances ? [...instances.keys()].sort().join(',') : '';
    const group = this.cancels.get(key) ?? { recipients: [], instances };
    group.recipients.push(address);
    this.cancels.set(key, group);
  }

  request(address: string, view: View): void {
    const key = [view.master ? 'master' : '', ...[...view.excluded.keys()].sort().map((k) => `-${k}`), ...[...view.overrides.keys()].sort()].join(',');
    const group = this.requests.get(key) ?? { recipients: [], view };
    group.recipients.push(address);
    this.requests.set(key, group);
  }

  write(was: SchedulingObject | undefined, is: SchedulingObject | undefined, now: Date, budget: MessageBudget): ItipMessage[] {
    const source = (is ?? was)!;
    const originator = source.organizer!;
    const message = (method: ItipMessage['method'], recipients: string[], calendar: IcalComponent): ItipMessage => {
      addZones(calendar, [is?.root, was?.root].filter((root): root is IcalComponent => root !== undefined));
      return { method, uid: source.uid, originator, recipients, ical: budget.charge(serialize(calendar)) };
    };
    const messages: ItipMessage[] = [];
    for (const { recipients, instances } of this.cancels.values()) {
      messages.push(message('CANCEL', recipients, cancellation(was!, is, recipients, instances, now)));
    }
    for (const { recipients, view } of this.requests.values()) {
      messages.push(message('REQUEST', recipients, invitation(view, is!, now)));
    }
    return messages;
  }
}

function schedule(
  was: SchedulingObject | undefined,
  is: SchedulingObject | undefined,
  organizer: CalendarUser,
  now: Date,
  limits: ItipLimits,
  forced: ReadonlySet<string> = new Set(),
): ItipMessage[] {
  const outbox = new Outbox();
  const organizerAddress = (is ?? was)?.organizer;
  for (const address of attendeeAddresses(is, was)) {
    if (address === organizerAddress || isAddressOf(organizer, address)) continue;
    const before = viewOf(was, address);
    const after = viewOf(is, address);
    if (!after) {
      if (before) outbox.cancel(address, before.master ? undefined : instancesOf(before));
      continue;
    }
    if (!before || !was) {
      outbox.request(address, after);
      continue;
    }
    if (before.master && !after.master) {
      // No longer invited to the series, still to some instances: cancel it, then invite to those.
      outbox.cancel(address);
      outbox.request(address, after);
      continue;
    }
    const cancelled = cancelledInstances(was, is!, address);
    if (cancelled.size > 0) outbox.cancel(address, cancelled);
    if (forced.has(address) || viewText(before, address, cancelled) !== viewText(after, address, cancelled)) outbox.request(address, after);
  }
  return outbox.write(was, is, now, new MessageBudget(limits));
}

function instancesOf(view: View): Map<string, IcalTime> {
  return new Map([...view.overrides].map(([key, override]) => [key, override.getFirstPropertyValue('recurrence-id') as IcalTime]));
}

/** Every attendee address of either side, in the order they first appear, `is` first. */
function attendeeAddresses(...objects: (SchedulingObject | undefined)[]): string[] {
  const addresses = new Set<string>();
  for (const object of objects) {
    if (!object) continue;
    for (const component of componentsOf(object)) for (const attendee of component.getAllProperties('attendee')) addresses.add(addressOf(attendee));
  }
  return [...addresses];
}

/** RFC 5546 3.2.2: the attendee's view, as stored for the organizer, with the instances they are not in excluded. */
function invitation(view: View, is: SchedulingObject, now: Date): IcalComponent {
  const calendar = newCalendar('REQUEST');
  if (view.master) {
    const master = messageCopyOf(view.master, is.root, now);
    for (const time of view.excluded.values()) master.addProperty(timeProperty('exdate', time));
    calendar.addSubcomponent(master);
  }
  for (const override of view.overrides.values()) calendar.addSubcomponent(messageCopyOf(override, is.root, now));
  return calendar;
}

/**
 * RFC 5546 3.2.5: a CANCEL of the whole event (no RECURRENCE-ID) or of the given instances,
 * naming the recipients as its attendees, STATUS:CANCELLED, at the event's current SEQUENCE
 * (one above the last when the object is gone).
 */
function cancellation(was: SchedulingObject, is: SchedulingObject | undefined, recipients: string[], instances: Map<string, IcalTime> | undefined, now: Date): IcalComponent {
  const calendar = newCalendar('CANCEL');
  const lastSequence = Math.max(...componentsOf(was).map(sequenceOf));
  const sequence = (key?: string) => {
    const current = is ? ((key !== undefined ? is.overrides.get(key) : undefined) ?? is.master) : undefined;
    return current ? sequenceOf(current) : lastSequence + 1;
  };
  const cancelled = (source: IcalComponent, key?: string, time?: IcalTime) => {
    const attendees = recipients.map((address) => attendeeIn(source, address) ?? (was.master && attendeeIn(was.master, address))).filter((a): a is IcalProperty => !!a);
    const component = identifyingComponent(source, { uid: was.uid, sequence: sequence(key), now, attendees, instance: time });
    component.addPropertyWithValue('status', 'CANCELLED');
    return component;
  };
  if (!instances) calendar.addSubcomponent(cancelled(was.master ?? componentsOf(was)[0]));
  else for (const [key, time] of instances) calendar.addSubcomponent(cancelled(was.overrides.get(key) ?? was.master!, key, time));
  return calendar;
}
