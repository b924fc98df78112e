import { ICAL, type IcalComponent } from '@davmesh/ical';
import { isPersonalProperty } from './canonical-form';
import { SchedulingRefused, type ItipLimits } from './itip-limits';
import { timeProperty } from './instance-keys';
import { withoutServerParameters, type IcalProperty } from './participants';
import { type ItipMethod } from './scheduling-object';

/** One scheduling message to deliver: to inboxes on this server, by iMIP beyond it. */
export interface ItipMessage {
  method: ItipMethod;
  uid: string;
  /** Who sends it: the organizer of a REQUEST or CANCEL, the attendee of a REPLY (normalised). */
  originator: string;
  /**
   * Who it goes to (normalised). For a REQUEST or CANCEL, the attendees it covers: the ones
   * whose SCHEDULE-STATUS the delivery sets on the organizer's copy.
   */
  recipients: string[];
  /** The message: a VCALENDAR with METHOD, the components for these recipients and the VTIMEZONEs they use. */
  ical: string;
}

const PRODID = '-//davmesh//iTIP//EN';

/** An empty VCALENDAR, with METHOD for a message or without for a stored copy. */
export function newCalendar(method?: ItipMethod, prodid = PRODID): IcalComponent {
  const root = new ICAL.Component('vcalendar');
  root.addPropertyWithValue('version', '2.0');
  root.addPropertyWithValue('prodid', prodid);
  if (method) root.addPropertyWithValue('method', method);
  return root;
}

/** A deep copy that still reads its times in the zones of `root` (the root it came from). */
export function copyOf(component: IcalComponent, root: IcalComponent): IcalComponent {
  return new ICAL.Component(JSON.parse(JSON.stringify(component.toJSON())) as unknown[], root);
}

/**
 * A copy of a component as a message carries it (RFC 6638 7.1 to 7.3, RFC 5546 3.2): no
 * server parameters, no alarms or client bookkeeping (they are the sender's own), stamped now.
 */
export function messageCopyOf(component: IcalComponent, root: IcalComponent, now: Date): IcalComponent {
  const copy = copyOf(component, root);
  withoutServerParameters(copy);
  copy.removeAllSubcomponents('valarm');
  for (const property of [...copy.getAllProperties()]) if (isPersonalProperty(property.name)) copy.removeProperty(property);
  stamp(copy, now);
  return copy;
}

/**
 * The properties that name an event, or one instance of it, in a REPLY or a CANCEL (RFC 5546
 * 3.2.3, 3.2.5): UID, DTSTAMP, SEQUENCE, ORGANIZER, SUMMARY, DTSTART, the RECURRENCE-ID of an
 * instance (the override's own, or the instance's time when it has none) and the given attendees.
 */
export function identifyingComponent(
  source: IcalComponent,
  fields: { uid: string; sequence: number; now: Date; attendees: readonly IcalProperty[]; instance?: InstanceType<typeof ICAL.Time> },
): IcalComponent {
  const component = new ICAL.Component(source.name);
  component.addPropertyWithValue('uid', fields.uid);
  stamp(component, fields.now);
  component.addPropertyWithValue('sequence', fields.sequence);
  const overridden = source.getFirstProperty('recurrence-id');
  for (const name of ['organizer', 'summary']) {
    const property = source.getFirstProperty(name);
    if (property) component.addProperty(copyProperty(property));
  }
  if (fields.instance && overridden) component.addProperty(copyProperty(overridden));
  else if (fields.instance) component.addProperty(timeProperty('recurrence-id', fields.instance));
  const start = source.getFirstProperty('dtstart');
  if (fields.instance && !overridden) component.addProperty(timeProperty('dtstart', fields.instance));
  else if (start) component.addProperty(copyProperty(start));
  for (const attendee of fields.attendees) component.addProperty(copyProperty(attendee));
  withoutServerParameters(component);
  return component;
}

export function copyProperty(property: IcalProperty): IcalProperty {
  return new ICAL.Property(JSON.parse(JSON.stringify(property.toJSON())) as unknown[]);
}

/** RFC 6638 3.2.5: DTSTAMP is when the message was made. */
export function stamp(component: IcalComponent, now: Date): void {
  component.updatePropertyWithValue('dtstamp', ICAL.Time.fromJSDate(now, true));
}

/**
 * Adds, for every TZID the calendar's components use, its VTIMEZONE (RFC 5545 3.6.5): the one
 * a source object defines, else the platform's rules libs/ical resolved the name to.
 */
export function addZones(calendar: IcalComponent, sources: readonly IcalComponent[]): void {
  const present = new Set(calendar.getAllSubcomponents('vtimezone').map((zone) => String(zone.getFirstPropertyValue('tzid'))));
  for (const tzid of usedTzids(calendar)) {
    if (present.has(tzid)) continue;
    const zone = zoneFrom(tzid, sources);
    if (!zone) continue;
    // VTIMEZONEs first, as clients write them.
    const components = [...calendar.getAllSubcomponents()];
    calendar.removeAllSubcomponents();
    for (const component of [zone, ...components]) calendar.addSubcomponent(component);
    present.add(tzid);
  }
}

function zoneFrom(tzid: string, sources: readonly IcalComponent[]): IcalComponent | undefined {
  for (const source of sources) {
    const own = source.getAllSubcomponents('vtimezone').find((zone) => zone.getFirstPropertyValue('tzid') === tzid);
    if (own) return new ICAL.Component(JSON.parse(JSON.stringify(own.toJSON())) as unknown[]);
  }
  for (const source of sources) {
    const resolved = source.getTimeZoneByID(tzid) as InstanceType<typeof ICAL.Timezone> | null;
    if (resolved?.component) {
      const zone = new ICAL.Component(JSON.parse(JSON.stringify(resolved.component.toJSON())) as unknown[]);
      zone.updatePropertyWithValue('tzid', tzid);
      return zone;
    }
  }
  return undefined;
}

function usedTzids(calendar: IcalComponent): Set<string> {
  const tzids = [...propertiesWithin(calendar)].map((property) => property.getParameter('tzid'));
  return new Set(tzids.filter((tzid): tzid is string => typeof tzid === 'string'));
}

/** Every property of a component and its sub-components, VTIMEZONEs left out. */
function* propertiesWithin(component: IcalComponent): Generator<IcalProperty> {
  yield* component.getAllProperties();
  for (const child of component.getAllSubcomponents()) if (child.name !== 'vtimezone') yield* propertiesWithin(child);
}

export function serialize(calendar: IcalComponent): string {
  return `${calendar.toString()}\r\n`;
}

/** What the messages of one operation may hold together (ItipLimits.maxMessagesLength). */
export class MessageBudget {
  private left: number;

  constructor(limits: ItipLimits) {
    this.left = limits.maxMessagesLength;
  }

  charge(text: string): string {
    this.left -= text.length;
    if (this.left < 0) throw new SchedulingRefused('max-scheduling-messages', 'the scheduling messages this change sends would be too large');
    return text;
  }
}
