import { calendarAddress } from './calendar-user';
import { serialize } from './itip-message';
import { DEFAULT_ITIP_LIMITS, SchedulingRefused, type ItipOptions } from './itip-limits';
import { addressOf, parameterOf } from './participants';
import { componentsOf, readSchedulingObject } from './scheduling-object';

/** RFC 6638 3.2.9 delivery codes, and RFC 5546 3.6 codes the server sets itself. */
export const ScheduleStatus = {
  /** 1.0: delivery pending (queued for iMIP). */
  Pending: '1.0',
  /** 1.1: sent, delivery not known (handed to the SMTP relay). */
  Sent: '1.1',
  /** 1.2: delivered (into the inbox of a user of this server). */
  Delivered: '1.2',
  /** 2.0: success (a reply processed). */
  Success: '2.0',
  /** 2.3: success, an unknown SCHEDULE-FORCE-SEND value ignored (RFC 6638 7.2). */
  UnknownParameterIgnored: '2.3',
  /** 3.7: not a calendar user this server knows or can reach. */
  InvalidCalendarUser: '3.7',
  /** 3.8: not allowed by the recipient's or the sender's privileges. */
  NoPrivilege: '3.8',
  /** 5.1: delivery failed for now; it may be tried again (iMIP: given up after retries, or no relay configured). */
  TemporaryFailure: '5.1',
  /** 5.2: no way to deliver; do not send again unchanged (iMIP: the relay refused it for good). */
  NoDelivery: '5.2',
  /** 5.3: delivery refused; scheduling with the recipient is not allowed. */
  Refused: '5.3',
} as const;

const STATUS_CODE = /^\d\.\d{1,2}(\.\d{1,2})?(,\d\.\d{1,2}(\.\d{1,2})?)*$/;

/**
 * The copy with SCHEDULE-STATUS (RFC 6638 7.3) set on every ATTENDEE and ORGANIZER whose address
 * is a key of `statuses` (any spelling calendarAddress folds), in every component: what the
 * delivery of a message did, on the organizer's copy for its recipients, on the attendee's for
 * the organizer of their REPLY. A status is a code or comma-separated codes (RFC 5545 3.8.8.3).
 * The text comes back unchanged when no address matched.
 */
export function withScheduleStatus(ical: string, statuses: Readonly<Record<string, string>> | ReadonlyMap<string, string>, options: ItipOptions = {}): string {
  const wanted = new Map<string, string>();
  for (const [address, status] of statuses instanceof Map ? statuses : Object.entries(statuses)) {
    if (!STATUS_CODE.test(status)) throw new SchedulingRefused('valid-scheduling-message', `${status.slice(0, 40)} is not a schedule status code`);
    wanted.set(calendarAddress(address), status);
  }
  const object = readSchedulingObject(ical, options.limits ?? DEFAULT_ITIP_LIMITS);
  let changed = false;
  for (const component of componentsOf(object)) {
    for (const property of [...component.getAllProperties('organizer'), ...component.getAllProperties('attendee')]) {
      const status = wanted.get(addressOf(property));
      if (status === undefined) continue;
      property.setParameter('schedule-status', status);
      changed = true;
    }
  }
  return changed ? serialize(object.root) : ical;
}

/**
 * The SCHEDULE-STATUS of every ORGANIZER and ATTENDEE property of the copy whose address is
 * `address` (any spelling calendarAddress folds), in component order; undefined for one that has
 * none. Empty when the copy does not name the address.
 */
export function scheduleStatusesOf(ical: string, address: string, options: ItipOptions = {}): (string | undefined)[] {
  const wanted = calendarAddress(address);
  const object = readSchedulingObject(ical, options.limits ?? DEFAULT_ITIP_LIMITS);
  return componentsOf(object).flatMap((component) =>
    [...component.getAllProperties('organizer'), ...component.getAllProperties('attendee')]
      .filter((property) => addressOf(property) === wanted)
      .map((property) => parameterOf(property, 'schedule-status')),
  );
}
