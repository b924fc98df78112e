import { DEFAULT_ITIP_LIMITS, type ItipOptions } from './itip-limits';
import { serialize } from './itip-message';
import { componentsOf, readSchedulingObject } from './scheduling-object';
import { sequenceOf } from './significant-change';

/**
 * An organizer's object issued anew: every component's SEQUENCE one above the highest it holds.
 * When the object left its organizer's calendars, its attendees were sent a CANCEL at that
 * SEQUENCE (RFC 5546 2.1.4 and 3.2.5, `organizerOutbox`); a new REQUEST at a lower one would be
 * older than the cancellation and passed over (2.1.5). For an object that comes back (a MOVE from
 * another owner's calendar), so that the invitation outranks the cancellation.
 */
export function reissued(ical: string, options: ItipOptions = {}): string {
  const object = readSchedulingObject(ical, options.limits ?? DEFAULT_ITIP_LIMITS);
  const components = componentsOf(object);
  const sequence = Math.max(...components.map(sequenceOf)) + 1;
  for (const component of components) component.updatePropertyWithValue('sequence', sequence);
  return serialize(object.root);
}
