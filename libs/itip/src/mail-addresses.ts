import { calendarAddress } from './calendar-user';
import { DEFAULT_ITIP_LIMITS, type ItipOptions } from './itip-limits';
import { serialize, type ItipMessage } from './itip-message';
import { addressOf } from './participants';
import { componentsOf, readItipMessage } from './scheduling-object';

/**
 * The message with calendar user addresses replaced (the ORGANIZER and ATTENDEE values that
 * carry them, and the originator and recipients): what leaves the server by iMIP names people by
 * e-mail address (RFC 6047), so a user written as their principal URL goes out as their `mailto:`.
 * `replacements` maps an address (any spelling calendarAddress folds) to the one to write; the
 * message comes back as it was when it holds none of them.
 */
export function withAddressesReplaced(message: ItipMessage, replacements: ReadonlyMap<string, string>, options: ItipOptions = {}): ItipMessage {
  const wanted = new Map([...replacements].map(([from, to]) => [calendarAddress(from), calendarAddress(to)]));
  const replaced = (address: string) => wanted.get(calendarAddress(address)) ?? address;
  const object = readItipMessage(message.ical, message.method, options.limits ?? DEFAULT_ITIP_LIMITS);
  let changed = false;
  for (const component of componentsOf(object)) {
    for (const property of [...component.getAllProperties('organizer'), ...component.getAllProperties('attendee')]) {
      const to = wanted.get(addressOf(property));
      if (to === undefined) continue;
      property.setValue(to);
      changed = true;
    }
  }
  // readItipMessage took METHOD off; a message carries it.
  if (changed) object.root.addPropertyWithValue('method', message.method);
  return { ...message, originator: replaced(message.originator), recipients: message.recipients.map(replaced), ical: changed ? serialize(object.root) : message.ical };
}
