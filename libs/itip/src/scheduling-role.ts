import { isAddressOf, type CalendarUser } from './calendar-user';
import { DEFAULT_ITIP_LIMITS, type ItipLimits } from './itip-limits';
import { addressOf } from './participants';
import { componentsOf, readItipMessage, readSchedulingObject, type ItipMethod, type SchedulingObject } from './scheduling-object';

/** The normalised ORGANIZER of a calendar object, the same in every component (else refused, RFC 6638 3.2.4.2). */
export function organizerOf(ical: string, limits: ItipLimits = DEFAULT_ITIP_LIMITS): string | undefined {
  return readSchedulingObject(ical, limits).organizer;
}

/** The normalised ATTENDEE addresses of a calendar object, across its components, in order of appearance. */
export function attendeesOf(ical: string, limits: ItipLimits = DEFAULT_ITIP_LIMITS): string[] {
  return attendeesIn(readSchedulingObject(ical, limits));
}

/**
 * An iTIP message of `method` as applyRequest, applyReply and applyCancel read it (and refused
 * as they refuse it): its UID, its ORGANIZER and its ATTENDEEs, normalised, in order of appearance.
 */
export function participantsOf(message: string, method: ItipMethod, limits: ItipLimits = DEFAULT_ITIP_LIMITS): { uid: string; organizer?: string; attendees: string[] } {
  const object = readItipMessage(message, method, limits);
  return { uid: object.uid, organizer: object.organizer, attendees: attendeesIn(object) };
}

function attendeesIn(object: SchedulingObject): string[] {
  return [...new Set(componentsOf(object).flatMap((component) => component.getAllProperties('attendee').map(addressOf)))];
}

/**
 * RFC 6638 3.1: a scheduling object resource has an ORGANIZER and at least one ATTENDEE other
 * than the organizer. VJOURNALs are never scheduled here (RFC 5546 3.5 has no REQUEST for them).
 */
export function isSchedulingObject(ical: string, limits: ItipLimits = DEFAULT_ITIP_LIMITS): boolean {
  return schedules(readSchedulingObject(ical, limits));
}

function schedules(object: SchedulingObject): boolean {
  if (object.kind === 'vjournal' || object.organizer === undefined) return false;
  return componentsOf(object).some((component) => component.getAllProperties('attendee').some((attendee) => addressOf(attendee) !== object.organizer));
}

/**
 * Whose scheduling object this is for the owner of the calendar it is stored in (RFC 6638 3.1):
 * `organizer` when the ORGANIZER is one of the user's addresses, `attendee` when an ATTENDEE is
 * and the ORGANIZER is not; undefined when it is no scheduling object of theirs. It tells which
 * of organizerOutbox and attendeeOutbox a PUT or DELETE calls.
 */
export function schedulingRoleOf(ical: string, user: CalendarUser, limits: ItipLimits = DEFAULT_ITIP_LIMITS): 'organizer' | 'attendee' | undefined {
  const object = readSchedulingObject(ical, limits);
  if (!schedules(object)) return undefined;
  if (isAddressOf(user, object.organizer!)) return 'organizer';
  const named = componentsOf(object).some((component) => component.getAllProperties('attendee').some((attendee) => isAddressOf(user, addressOf(attendee))));
  return named ? 'attendee' : undefined;
}
