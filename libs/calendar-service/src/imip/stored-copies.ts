import { CONFIG_KEYS } from '@davmesh/contracts';
import { InvalidCalendarObject } from '@davmesh/ical';
import { DEFAULT_ITIP_LIMITS, SchedulingRefused, type ItipLimits } from '@davmesh/itip';

/**
 * The bounds iMIP reads users' stored copies within: libs/itip's, with as many attendees as any
 * user's davmesh.limits.maxAttendeesPerInstance may have let in. The user's own value is not
 * asked: the outcome of a message is written in a transaction, which never waits on the bus.
 */
export const STORED_COPY_LIMITS: ItipLimits = { ...DEFAULT_ITIP_LIMITS, maxAttendeesPerInstance: CONFIG_KEYS['davmesh.limits.maxAttendeesPerInstance'].max };

/** What a read of a stored copy answers; undefined for a copy that no longer reads within the bounds (no scheduling object to act on). */
export function readable<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof SchedulingRefused || error instanceof InvalidCalendarObject) return undefined;
    throw error;
  }
}
