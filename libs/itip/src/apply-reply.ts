import { type ICAL, type IcalComponent } from '@davmesh/ical';
import { type AppliedMessage, checkSameEvent } from './apply-request';
import { timeKey } from './instance-keys';
import { serialize } from './itip-message';
import { DEFAULT_ITIP_LIMITS, SchedulingRefused, type ItipOptions } from './itip-limits';
import { addressOf, attendeeIn, partstatOf } from './participants';
import { instanceAt, overrideFromMaster } from './recurrence-instance';
import { componentsOf, readItipMessage, readSchedulingObject } from './scheduling-object';
import { sequenceOf } from './significant-change';

type IcalTime = InstanceType<typeof ICAL.Time>;

/** The organizer's copy after an attendee's REPLY, and who replied. */
export interface AppliedReply extends AppliedMessage {
  /** The replying attendee (normalised). */
  attendee: string;
}

/**
 * The organizer's copy after an attendee's REPLY (RFC 5546 3.2.3, RFC 6638 4.2): the
 * attendee's PARTSTAT on each component the reply names, an override created for an instance
 * the copy does not override yet (when it is an instance of the series and the master names the
 * attendee), and SCHEDULE-STATUS set to the reply's REQUEST-STATUS codes, else 2.0. A component
 * of the reply with a SEQUENCE below the copy's answers an older version and is passed over, as
 * is one for an instance the series does not have or that does not name the attendee.
 * `consequential` is always false: a reply never changes the organizer's Schedule-Tag (3.2.10).
 * Refused: a reply without exactly one ATTENDEE per component, all the same (RFC 5546 3.2.3),
 * or about another UID or from another ORGANIZER than the copy's.
 */
export function applyReply(organizerCopy: string, reply: string, options: ItipOptions = {}): AppliedReply {
  const limits = options.limits ?? DEFAULT_ITIP_LIMITS;
  const message = readItipMessage(reply, 'REPLY', limits);
  const copy = readSchedulingObject(organizerCopy, limits);
  checkSameEvent(copy, message);
  const attendee = replierOf(componentsOf(message));
  let changed = false;
  for (const component of componentsOf(message)) {
    const answer = component.getFirstProperty('attendee')!;
    const recurrenceId = component.getFirstPropertyValue('recurrence-id') as IcalTime | null;
    const target = recurrenceId ? overrideFor(copy, recurrenceId, attendee, limits) : copy.master;
    const own = target && attendeeIn(target, attendee);
    if (!target || !own || sequenceOf(component) < sequenceOf(target)) continue;
    own.setParameter('partstat', partstatOf(answer));
    own.setParameter('schedule-status', requestStatusOf(component));
    changed = true;
  }
  if (!changed) return { ical: organizerCopy, changed, consequential: false, attendee };
  return { ical: serialize(copy.root), changed, consequential: false, attendee };
}

function replierOf(components: IcalComponent[]): string {
  const repliers = new Set<string>();
  for (const component of components) {
    const attendees = component.getAllProperties('attendee');
    if (attendees.length !== 1) throw new SchedulingRefused('valid-scheduling-message', `a REPLY component names ${attendees.length} attendees, not one`);
    repliers.add(addressOf(attendees[0]));
  }
  if (repliers.size !== 1) throw new SchedulingRefused('valid-scheduling-message', 'a REPLY answers for more than one attendee');
  return [...repliers][0];
}

/** The override of the instance, created from the master when the copy has none yet (RFC 6638 4.2). */
function overrideFor(copy: ReturnType<typeof readSchedulingObject>, recurrenceId: IcalTime, attendee: string, limits: typeof DEFAULT_ITIP_LIMITS): IcalComponent | undefined {
  const existing = copy.overrides.get(timeKey(recurrenceId));
  if (existing) return existing;
  const master = copy.master;
  if (!master || !attendeeIn(master, attendee)) return undefined;
  const instance = instanceAt(master, recurrenceId, limits);
  if (!instance) return undefined;
  const override = overrideFromMaster(master, instance, copy.root);
  copy.root.addSubcomponent(override);
  return override;
}

/** RFC 6638 4.2: the codes of the reply's REQUEST-STATUS properties, comma-separated; 2.0 without any. */
function requestStatusOf(component: IcalComponent): string {
  const codes = component.getAllProperties('request-status').map((property) => {
    const value = property.getFirstValue() as unknown;
    return String(Array.isArray(value) ? value[0] : (value ?? '')).split(';')[0].trim();
  });
  const valid = codes.filter((code) => /^\d\.\d{1,2}(\.\d{1,2})?$/.test(code));
  return valid.length > 0 ? valid.join(',') : '2.0';
}
