import { DEFAULT_ICAL_LIMITS, type IcalLimits } from '@davmesh/ical';

/** Bounds on what one scheduling operation reads and writes, on top of libs/ical's bounds on one object. */
export interface ItipLimits extends IcalLimits {
  /** Longest iCalendar text read, in characters: the CALDAV:max-resource-size a PUT already met. */
  maxObjectLength: number;
  /** CALDAV:max-attendees-per-instance (RFC 4791 5.2.9): ATTENDEE properties in one component. */
  maxAttendeesPerInstance: number;
  /** Components (a master and its overrides) in one object or message. */
  maxComponents: number;
  /** Characters of iCalendar all the messages of one operation may hold together. */
  maxMessagesLength: number;
}

export const DEFAULT_ITIP_LIMITS: ItipLimits = {
  ...DEFAULT_ICAL_LIMITS,
  maxObjectLength: 1024 * 1024,
  maxAttendeesPerInstance: 1000,
  maxComponents: 1000,
  maxMessagesLength: 32 * 1024 * 1024,
};

/**
 * Why a scheduling operation was refused; the name of the precondition the edge answers
 * with where RFC 4791 or RFC 6638 has one:
 * - `max-attendees-per-instance`, `max-resource-size`: RFC 4791 5.3.2.1 (403);
 * - `same-organizer-in-all-components`: RFC 6638 3.2.4.2 (403);
 * - `valid-scheduling-message`: RFC 6638 5.2.1, a message that breaks RFC 5546 (400);
 * - `valid-organizer`: RFC 6638 5.2.2, a message whose ORGANIZER is not the one of the copy it would change (403);
 * - `max-scheduling-messages`: davmesh's own, the messages would hold more than maxMessagesLength (403).
 */
export type SchedulingCondition =
  | 'max-attendees-per-instance'
  | 'max-resource-size'
  | 'same-organizer-in-all-components'
  | 'valid-scheduling-message'
  | 'valid-organizer'
  | 'max-scheduling-messages';

export class SchedulingRefused extends Error {
  constructor(
    readonly condition: SchedulingCondition,
    message: string,
  ) {
    super(message);
    this.name = 'SchedulingRefused';
  }
}

/** What every operation of this library takes besides its data. */
export interface ItipOptions {
  limits?: ItipLimits;
  /** When the operation happens: the DTSTAMP of the messages it writes. Defaults to now. */
  now?: Date;
}
