import { InvalidCalendarObject, parseVcalendar, readCalendarObject, type IcalComponent } from '@davmesh/ical';
import { instanceKeyOf } from './instance-keys';
import { DEFAULT_ITIP_LIMITS, SchedulingRefused, type ItipLimits } from './itip-limits';
import { organizerAddressOf } from './participants';

/** The iTIP methods (RFC 5546 1.4) implicit scheduling sends and applies. */
export type ItipMethod = 'REQUEST' | 'REPLY' | 'CANCEL';

/** One calendar object resource or one iTIP message, parsed and checked, its components by instance. */
export interface SchedulingObject {
  readonly root: IcalComponent;
  readonly uid: string;
  readonly kind: 'vevent' | 'vtodo' | 'vjournal';
  /** The component without RECURRENCE-ID; absent when only instances are held. */
  readonly master?: IcalComponent;
  /** The components with a RECURRENCE-ID, by instance key (see timeKey). */
  readonly overrides: ReadonlyMap<string, IcalComponent>;
  /** The normalised ORGANIZER, the same in every component (RFC 6638 3.2.4.2); absent when none has one. */
  readonly organizer?: string;
}

/** A stored calendar object resource (no METHOD), checked as libs/ical checks a PUT, within the scheduling bounds. */
export function readSchedulingObject(text: string, limits: ItipLimits = DEFAULT_ITIP_LIMITS): SchedulingObject {
  return read(text, limits);
}

/** An iTIP message of the given method (RFC 5546 3.1): its METHOD set, otherwise one object as stored. */
export function readItipMessage(text: string, method: ItipMethod, limits: ItipLimits = DEFAULT_ITIP_LIMITS): SchedulingObject {
  const found = methodOf(text, limits);
  if (found !== method) throw new SchedulingRefused('valid-scheduling-message', `expected an iTIP ${method}, got ${found ?? 'no METHOD'}`);
  return read(text.replace(METHOD_LINES, ''), limits);
}

// A content line of the VCALENDAR, with its folded continuations (RFC 5545 3.1).
const METHOD_LINES = /^METHOD[;:][^\r\n]*(?:\r?\n[ \t][^\r\n]*)*(?:\r?\n|$)/gim;

function methodOf(text: string, limits: ItipLimits): string | undefined {
  checkLength(text, limits);
  const lines = text.match(METHOD_LINES) ?? [];
  if (lines.length > 1) throw new SchedulingRefused('valid-scheduling-message', 'more than one METHOD');
  return lines[0]?.replace(/\r?\n[ \t]/g, '').replace(/^METHOD[^:]*:/i, '').trim().toUpperCase();
}

function checkLength(text: string, limits: ItipLimits): void {
  if (text.length > limits.maxObjectLength) throw new SchedulingRefused('max-resource-size', `the iCalendar text is longer than ${limits.maxObjectLength} characters`);
}

function read(text: string, limits: ItipLimits): SchedulingObject {
  checkLength(text, limits);
  checkAttendeeCount(text, limits);
  // libs/ical's checks first: nesting, values, zones, one UID and one component type, the recurrence budget.
  const summary = readCalendarObject(text, limits);
  const root = parseVcalendar(text);
  const components = root.getAllSubcomponents().filter((component) => component.name !== 'vtimezone');
  if (components.length > limits.maxComponents) {
    throw new SchedulingRefused('max-resource-size', `${components.length} components, more than ${limits.maxComponents}`);
  }
  const overrides = new Map<string, IcalComponent>();
  let master: IcalComponent | undefined;
  for (const component of components) {
    const attendees = component.getAllProperties('attendee').length;
    if (attendees > limits.maxAttendeesPerInstance) {
      throw new SchedulingRefused('max-attendees-per-instance', `${attendees} attendees in one component, more than ${limits.maxAttendeesPerInstance}`);
    }
    const key = instanceKeyOf(component);
    if (key === undefined) master = component;
    else if (overrides.has(key)) throw new InvalidCalendarObject('valid-calendar-object-resource', `two components for the instance ${key}`);
    else overrides.set(key, component);
  }
  return { root, uid: summary.uid, kind: summary.component.toLowerCase() as SchedulingObject['kind'], master, overrides, organizer: sameOrganizer(components) };
}

/** The attendee bound, read from the text before anything parses it: 10,000 attendees cost a parse of their own. */
function checkAttendeeCount(text: string, limits: ItipLimits): void {
  let attendees = 0;
  for (const line of text.split(/\r?\n/)) {
    if (/^BEGIN:(VEVENT|VTODO|VJOURNAL)\s*$/i.test(line)) attendees = 0;
    else if (/^ATTENDEE[;:]/i.test(line) && ++attendees > limits.maxAttendeesPerInstance) {
      throw new SchedulingRefused('max-attendees-per-instance', `more than ${limits.maxAttendeesPerInstance} attendees in one component`);
    }
  }
}

function sameOrganizer(components: IcalComponent[]): string | undefined {
  const organizers = new Set(components.map(organizerAddressOf));
  if (organizers.size > 1) throw new SchedulingRefused('same-organizer-in-all-components', 'the components name different organizers, or some none');
  return [...organizers][0];
}

/** The master first, then the overrides in document order. */
export function componentsOf(object: SchedulingObject): IcalComponent[] {
  return object.master ? [object.master, ...object.overrides.values()] : [...object.overrides.values()];
}
