import ICAL, { type IcalComponent, type IcalTime } from './ical-module';
import { CALENDAR_COMPONENT_TYPES, parseVcalendar, type CalendarComponentType } from './calendar-object';
import { checkCalendarText, checkCalendarValues } from './calendar-validation';
import { DEFAULT_ICAL_LIMITS, type IcalLimits } from './ical-limits';
import { InvalidCalendarObject } from './invalid-calendar-object';

/** The iTIP methods of RFC 5546 1.4. */
export const ITIP_METHODS = ['PUBLISH', 'REQUEST', 'REPLY', 'ADD', 'CANCEL', 'REFRESH', 'COUNTER', 'DECLINECOUNTER'] as const;

/** What the schedule inbox stores of an iTIP message (RFC 5546): its method, component type and UID. */
export interface SchedulingMessageSummary {
  method: (typeof ITIP_METHODS)[number];
  component: CalendarComponentType;
  uid: string;
}

const invalidMessage = (message: string) => new InvalidCalendarObject('valid-scheduling-message', message);

/**
 * Parses and checks an iTIP message for a schedule inbox (RFC 6638 2.2): a VCALENDAR with a
 * METHOD of RFC 5546, and VEVENT, VTODO or VJOURNAL components of one type sharing one UID.
 * What a REPLY or CANCEL may leave out (DTSTART) is not asked for; every value must be readable.
 */
export function readSchedulingMessage(text: string, limits: IcalLimits = DEFAULT_ICAL_LIMITS): SchedulingMessageSummary {
  const root = parsedAndChecked(text, limits);
  const method = methodOf(root);
  const components = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  const types = new Set(components.map((c) => c.name.toUpperCase()));
  if (types.size !== 1) throw invalidMessage(types.size === 0 ? 'no VEVENT, VTODO or VJOURNAL' : `one component type per message, found ${[...types].join(', ')}`);
  const component = [...types][0] as CalendarComponentType;
  if (!CALENDAR_COMPONENT_TYPES.includes(component)) throw invalidMessage(`${component} is not delivered to an inbox, only VEVENT, VTODO and VJOURNAL`);
  return { method, component, uid: sharedUid(components) };
}

/** A free-busy request POSTed to a schedule outbox (RFC 6638 5, RFC 5546 3.3.2), as read. */
export interface FreeBusyRequest {
  uid?: string;
  /** The ORGANIZER's calendar user address, as written. */
  organizer: string;
  /** Each ATTENDEE's calendar user address, as written, in order, without repeats. */
  attendees: string[];
  /** Epoch milliseconds; a time without a zone counts as UTC. */
  start: number;
  end: number;
}

/**
 * Reads a VCALENDAR with METHOD:REQUEST and one VFREEBUSY carrying ORGANIZER, at least one
 * ATTENDEE, DTSTART and a later DTEND. Refusals: `valid-calendar-data` for what is not
 * iCalendar, `valid-scheduling-message` for an iTIP message that is not such a request.
 */
export function readFreeBusyRequest(text: string, limits: IcalLimits = DEFAULT_ICAL_LIMITS): FreeBusyRequest {
  const root = parsedAndChecked(text, limits);
  if (methodOf(root) !== 'REQUEST') throw invalidMessage('a free-busy request has METHOD:REQUEST');
  const components = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  if (components.length !== 1 || components[0].name !== 'vfreebusy') throw invalidMessage('a free-busy request holds one VFREEBUSY and nothing else');
  const freebusy = components[0];
  const organizer = String(freebusy.getFirstPropertyValue('organizer') ?? '').trim();
  if (organizer === '') throw invalidMessage('the VFREEBUSY has no ORGANIZER');
  const attendees = [...new Set(freebusy.getAllProperties('attendee').map((p) => String(p.getFirstValue() ?? '').trim()).filter((a) => a !== ''))];
  if (attendees.length === 0) throw invalidMessage('the VFREEBUSY has no ATTENDEE');
  const start = instantOf(freebusy, 'dtstart');
  const end = instantOf(freebusy, 'dtend');
  if (end <= start) throw invalidMessage('DTEND is not after DTSTART');
  const uid = freebusy.getFirstPropertyValue('uid');
  return { ...(typeof uid === 'string' && uid.trim() !== '' ? { uid } : {}), organizer, attendees, start, end };
}

function parsedAndChecked(text: string, limits: IcalLimits): IcalComponent {
  checkCalendarText(text);
  const root = parseVcalendar(text);
  try {
    checkCalendarValues(root, limits);
  } catch (error) {
    if (error instanceof InvalidCalendarObject) throw error;
    throw new InvalidCalendarObject('valid-calendar-data', `unreadable iCalendar: ${(error as Error).message}`);
  }
  return root;
}

function methodOf(root: IcalComponent): SchedulingMessageSummary['method'] {
  const method = String(root.getFirstPropertyValue('method') ?? '').toUpperCase();
  if (method === '') throw invalidMessage('an iTIP message has a METHOD');
  if (!(ITIP_METHODS as readonly string[]).includes(method)) throw invalidMessage(`METHOD:${method.slice(0, 40)} is not an iTIP method`);
  return method as SchedulingMessageSummary['method'];
}

function sharedUid(components: IcalComponent[]): string {
  const uids = new Set(components.map((c) => c.getFirstPropertyValue('uid')));
  const [uid] = [...uids];
  if (uids.size !== 1 || typeof uid !== 'string' || uid.trim() === '') throw invalidMessage('every component needs the same, non-empty UID');
  return uid;
}

/** A DTSTART or DTEND as an instant: with its zone, or as UTC when it has none (RFC 5546 asks for UTC). */
function instantOf(component: IcalComponent, name: 'dtstart' | 'dtend'): number {
  let time: IcalTime | null;
  try {
    time = component.getFirstPropertyValue(name) as IcalTime | null;
  } catch {
    throw new InvalidCalendarObject('valid-calendar-data', `${name.toUpperCase()} is not a date-time`);
  }
  if (!time || typeof time !== 'object' || !('toJSDate' in time)) throw invalidMessage(`the VFREEBUSY has no ${name.toUpperCase()}`);
  const floating = !time.zone || time.zone === ICAL.Timezone.localTimezone;
  const ms = floating ? Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second) : time.toJSDate().getTime();
  if (!Number.isFinite(ms)) throw new InvalidCalendarObject('valid-calendar-data', `${name.toUpperCase()} is beyond any representable date`);
  return ms;
}
