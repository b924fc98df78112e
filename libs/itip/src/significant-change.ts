import { type IcalComponent } from '@davmesh/ical';
import { instanceKeyOf, lengthOf, listedTimes, timesOf } from './instance-keys';

/**
 * RFC 6638 3.2.8: a change to one component reschedules an instance, and so resets every
 * attendee's PARTSTAT in it to NEEDS-ACTION, when DTSTART, DTEND, DURATION or DUE moves, the
 * RRULE changes, an RDATE is added or an EXDATE removed (an instance comes back). The table
 * asks for RRULE changes "that add or move instances"; any change of the rule counts here,
 * since telling a rule that only drops instances apart would take expanding both. LOCATION
 * and SUMMARY are not in the list: the RFC leaves resetting for them to the organizer's client.
 */
export function isRescheduled(before: IcalComponent, after: IcalComponent): boolean {
  const was = timesOf(before);
  const is = timesOf(after);
  if (was.start !== is.start || was.end !== is.end || was.due !== is.due) return true;
  if (ruleText(before) !== ruleText(after)) return true;
  return added(listedTimes(before, 'rdate'), listedTimes(after, 'rdate')) || added(listedTimes(after, 'exdate'), listedTimes(before, 'exdate'));
}

/** A new override against the master's instance it replaces: rescheduled when it starts or lasts otherwise. */
export function movesInstance(master: IcalComponent, override: IcalComponent): boolean {
  const times = timesOf(override);
  if (times.start !== undefined && times.start !== instanceKeyOf(override)) return true;
  return lengthOf(override) !== lengthOf(master);
}

/**
 * RFC 5546 2.1.4: the organizer's changes that call for a higher SEQUENCE: a reschedule, and
 * any change of EXDATE, RDATE or STATUS.
 */
export function needsNewSequence(before: IcalComponent, after: IcalComponent): boolean {
  if (isRescheduled(before, after)) return true;
  const set = (component: IcalComponent, name: 'exdate' | 'rdate') => [...listedTimes(component, name).keys()].sort().join(',');
  if (set(before, 'exdate') !== set(after, 'exdate') || set(before, 'rdate') !== set(after, 'rdate')) return true;
  return String(before.getFirstPropertyValue('status') ?? '').toUpperCase() !== String(after.getFirstPropertyValue('status') ?? '').toUpperCase();
}

export function sequenceOf(component: IcalComponent): number {
  const sequence = Number(component.getFirstPropertyValue('sequence') ?? 0);
  return Number.isInteger(sequence) && sequence >= 0 ? sequence : 0;
}

function ruleText(component: IcalComponent): string {
  return component
    .getAllProperties('rrule')
    .map((rule) => String(rule.getFirstValue()))
    .sort()
    .join('\n');
}

/** True when `to` holds a key `from` does not. */
function added(from: ReadonlyMap<string, unknown>, to: ReadonlyMap<string, unknown>): boolean {
  for (const key of to.keys()) if (!from.has(key)) return true;
  return false;
}
