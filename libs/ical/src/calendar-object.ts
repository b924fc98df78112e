import ICAL, { type IcalComponent } from './ical-module';
import { occurrenceSpan, type OccurrenceSpan } from './occurrence-span';
import { checkCalendarText, checkCalendarValues } from './calendar-validation';
import { DEFAULT_ICAL_LIMITS, type IcalLimits } from './ical-limits';
import { InvalidCalendarObject } from './invalid-calendar-object';
import { RecurrenceLimitExceeded, recurrenceBudget, withinRecurrenceBudget } from './recurrence-budget';
import { bindZones } from './zone-definitions';

export { InvalidCalendarObject, type CalendarDataCondition } from './invalid-calendar-object';

export type CalendarComponentType = 'VEVENT' | 'VTODO' | 'VJOURNAL';

export const CALENDAR_COMPONENT_TYPES: readonly CalendarComponentType[] = ['VEVENT', 'VTODO', 'VJOURNAL'];

export interface CalendarObjectSummary {
  uid: string;
  component: CalendarComponentType;
  /** When its occurrences start and end, over the whole series; what the index stores. */
  span: OccurrenceSpan;
}

/**
 * Parses and checks one calendar object resource (RFC 4791 4.1): a VCALENDAR with
 * components of one type sharing one UID (a master and its overrides), no METHOD.
 */
export function readCalendarObject(text: string, limits: IcalLimits = DEFAULT_ICAL_LIMITS): CalendarObjectSummary {
  checkCalendarText(text);
  const root = parseVcalendar(text);
  try {
    return withinRecurrenceBudget(recurrenceBudget(limits.recurrenceSteps, limits.recurrenceMillis), () => summarize(root, limits));
  } catch (error) {
    if (error instanceof InvalidCalendarObject) throw error;
    if (error instanceof RecurrenceLimitExceeded) throw new InvalidCalendarObject('max-instances', `its recurrence needs more than ${limits.recurrenceSteps} steps or ${limits.recurrenceMillis} ms to evaluate`);
    // ical.js throws plain errors on values it cannot read: the data's fault, not ours.
    throw new InvalidCalendarObject('valid-calendar-data', `unreadable iCalendar: ${(error as Error).message}`);
  }
}

function summarize(root: IcalComponent, limits: IcalLimits): CalendarObjectSummary {
  checkCalendarValues(root, limits);
  if (root.hasProperty('method')) {
    throw new InvalidCalendarObject('valid-calendar-object-resource', 'a calendar object resource must not have a METHOD');
  }
  const components = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  if (components.length === 0) throw new InvalidCalendarObject('valid-calendar-object-resource', 'no VEVENT, VTODO or VJOURNAL');
  const types = new Set(components.map((c) => c.name.toUpperCase()));
  if (types.size > 1) {
    throw new InvalidCalendarObject('valid-calendar-object-resource', `one component type per resource, found ${[...types].join(', ')}`);
  }
  const component = [...types][0] as CalendarComponentType;
  if (!CALENDAR_COMPONENT_TYPES.includes(component)) {
    // A VFREEBUSY resource is valid (RFC 4791 4.1); no calendar here stores one (5.3.2.1).
    throw new InvalidCalendarObject('supported-calendar-component', `${component} is not stored, only VEVENT, VTODO and VJOURNAL`);
  }
  const uids = new Set(components.map((c) => c.getFirstPropertyValue('uid')));
  if (uids.size !== 1 || typeof [...uids][0] !== 'string' || ([...uids][0] as string).trim() === '') {
    throw new InvalidCalendarObject('valid-calendar-object-resource', 'every component needs the same, non-empty UID');
  }
  const masters = components.filter((c) => !c.hasProperty('recurrence-id'));
  if (masters.length > 1) throw new InvalidCalendarObject('valid-calendar-object-resource', 'more than one master component');
  const span = occurrenceSpan(masters[0], components.filter((c) => c.hasProperty('recurrence-id')), limits.maxInstances);
  if (span !== 'none' && (Number.isNaN(span.start) || Number.isNaN(span.end))) {
    // ical.js computes such times (DURATION:P99999999W) beyond what a JavaScript Date holds.
    throw new InvalidCalendarObject('valid-calendar-data', 'its occurrences start or end beyond any representable date');
  }
  return { uid: [...uids][0] as string, component, span };
}

export function parseVcalendar(text: string): IcalComponent {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(text);
  } catch (error) {
    throw new InvalidCalendarObject('valid-calendar-data', `not iCalendar: ${(error as Error).message}`);
  }
  // ical.js answers an empty body with [] and several top-level components with a list of them.
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string') {
    const count = Array.isArray(parsed) ? parsed.length : 0;
    throw new InvalidCalendarObject('valid-calendar-data', count === 0 ? 'no iCalendar object' : `${count} top-level components, one VCALENDAR expected`);
  }
  const root = new ICAL.Component(parsed as unknown[]);
  if (root.name !== 'vcalendar') throw new InvalidCalendarObject('valid-calendar-data', `the root is ${root.name.toUpperCase()}, not VCALENDAR`);
  // Before any time value is read: ical.js resolves a TZID when it decodes the value.
  bindZones(root);
  return root;
}
