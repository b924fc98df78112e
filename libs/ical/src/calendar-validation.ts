import ICAL, { type IcalComponent } from './ical-module';
import { type IcalLimits } from './ical-limits';
import { InvalidCalendarObject } from './invalid-calendar-object';
import { RecurrenceLimitExceeded } from './recurrence-budget';
import { ZoneDefinitionCache } from './zone-texts';

/** Observances in one VTIMEZONE: real zones carry a handful, full histories a few hundred. */
const MAX_OBSERVANCES = 1000;
/** Offset changes a zone may make up to MAX_ZONE_YEAR: two a year since 1601 is about a thousand. */
const MAX_ZONE_CHANGES = 5000;
const MAX_ZONE_YEAR = 2100;
/** Rule parts a zone's observance may use; none of them can make more than a few changes a year. */
const OBSERVANCE_RULE_PARTS = new Set(['freq', 'interval', 'until', 'count', 'bymonth', 'byday', 'bymonthday', 'bysetpos', 'wkst']);

/** VCALENDAR > VEVENT > VALARM is 3; RFC 9073's PARTICIPANT > VLOCATION makes 4. Deeper is no iCalendar, and recursion over it overflows the stack. */
const MAX_COMPONENT_DEPTH = 8;
/** RFC 5545 3.3.10: the values each BYxxx rule part may take; `signed` parts count from either end and never take 0. */
const RULE_PART_RANGES: Record<string, { max: number; min?: number; signed?: true }> = {
  BYSECOND: { min: 0, max: 60 },
  BYMINUTE: { min: 0, max: 59 },
  BYHOUR: { min: 0, max: 23 },
  BYMONTH: { min: 1, max: 12 },
  BYMONTHDAY: { max: 31, signed: true },
  BYYEARDAY: { max: 366, signed: true },
  BYWEEKNO: { max: 53, signed: true },
  BYSETPOS: { max: 366, signed: true },
};
const WEEKDAY = /^([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z?$/;
const BINARY_PROPERTIES = new Set(['attach']);

const invalid = (message: string) => new InvalidCalendarObject('valid-calendar-data', message);

/** What PostgreSQL cannot store and no iCalendar may hold (RFC 5545 3.1: no control characters but HTAB). */
export function checkCalendarText(text: string): void {
  if (text.includes('\u0000')) throw invalid('iCalendar data must not contain NUL characters');
  // ical.js reads INTERVAL=0 as 1; RFC 5545 3.3.10 allows only positive intervals.
  if (/^RRULE[;:](?:[^\r\n]*;)?INTERVAL=0*(?:;|\r?$)/im.test(text)) throw invalid('RRULE INTERVAL must be positive');
  checkNesting(text);
}

/** ical.js closes whatever component is open at any END line: each END must name the BEGIN it closes. */
function checkNesting(text: string): void {
  const open: string[] = [];
  for (const line of text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)) {
    const boundary = /^(BEGIN|END):(.*)$/i.exec(line);
    if (!boundary) continue;
    const name = boundary[2].trim().toUpperCase();
    if (boundary[1].toUpperCase() === 'BEGIN') {
      if (open.push(name) > MAX_COMPONENT_DEPTH) throw invalid(`components are nested more than ${MAX_COMPONENT_DEPTH} deep`);
    } else if (open.pop() !== name) throw invalid(`END:${name.slice(0, 40)} closes no open ${name.slice(0, 40)}`);
  }
  if (open.length > 0) throw invalid(`BEGIN:${open[open.length - 1].slice(0, 40)} is never closed`);
}

/**
 * Every value of every property readable, within the length limits, dates that exist, and
 * zones whose rules stay small: what is stored can then always be read and served.
 */
export function checkCalendarValues(root: IcalComponent, limits: IcalLimits): void {
  let recurrenceValues = 0;
  const visit = (component: IcalComponent) => {
    for (const property of component.getAllProperties()) {
      checkProperty(property, limits);
      if (property.name === 'rdate' || property.name === 'exdate') recurrenceValues += property.getValues().length;
    }
    for (const child of component.getAllSubcomponents()) visit(child);
  };
  visit(root);
  if (recurrenceValues > limits.maxInstances) {
    throw new InvalidCalendarObject('max-instances', `${recurrenceValues} RDATE and EXDATE values, more than max-instances (${limits.maxInstances})`);
  }
  for (const zone of root.getAllSubcomponents('vtimezone')) checkZone(zone);
}

type IcalProperty = ReturnType<IcalComponent['getAllProperties']>[number];

function checkProperty(property: IcalProperty, limits: IcalLimits): void {
  const [name, parameters, type, ...values] = property.jCal as [string, Record<string, unknown>, string, ...unknown[]];
  for (const [parameter, value] of Object.entries(parameters)) {
    for (const text of Array.isArray(value) ? value : [value]) {
      if (String(text).length > limits.parameterLength) throw invalid(`${name.toUpperCase()};${parameter.toUpperCase()} is longer than ${limits.parameterLength} characters`);
    }
  }
  const binary = BINARY_PROPERTIES.has(name) || type === 'binary';
  for (const value of values) {
    if (typeof value === 'string') {
      if (!binary && value.length > limits.propertyLength) throw invalid(`${name.toUpperCase()} is longer than ${limits.propertyLength} characters`);
      if (type === 'date' || type === 'date-time') checkDate(name, value);
    } else if (Array.isArray(value) && type === 'period') {
      for (const part of value) if (typeof part === 'string' && DATE_TIME.test(part)) checkDate(name, part);
    }
  }
  if (name === 'tzid' && values.some((v) => String(v).length > limits.parameterLength)) throw invalid(`TZID is longer than ${limits.parameterLength} characters`);
  let decoded: unknown[];
  try {
    decoded = property.getValues();
  } catch (error) {
    throw invalid(`${name.toUpperCase()} has an unreadable value: ${(error as Error).message}`);
  }
  if (type === 'recur') {
    for (const rule of decoded as { count?: number; until?: unknown }[]) {
      if (rule.count != null && !(rule.count >= 1)) throw invalid(`${name.toUpperCase()} has COUNT ${rule.count}; it must be positive`);
      checkRuleParts(name.toUpperCase(), (rule as { parts?: Record<string, unknown[]> }).parts ?? {});
    }
  }
}

/** ical.js iterates a rule part it cannot satisfy (BYMONTHDAY=0) until the budget ends it: refuse it up front. */
function checkRuleParts(name: string, parts: Record<string, unknown[]>): void {
  for (const [part, values] of Object.entries(parts)) {
    for (const value of values) {
      if (part === 'BYDAY') {
        const match = WEEKDAY.exec(String(value));
        const ordinal = match?.[2] === undefined ? 1 : Number(match[2]);
        if (!match || ordinal < 1 || ordinal > 53) throw invalid(`${name} has BYDAY=${String(value).slice(0, 20)}, not a weekday with an ordinal of 1 to 53`);
        continue;
      }
      const range = RULE_PART_RANGES[part];
      if (!range) continue;
      const number = Number(value);
      const magnitude = range.signed ? Math.abs(number) : number;
      if (!Number.isInteger(number) || magnitude < (range.min ?? 1) || magnitude > range.max) {
        throw invalid(`${name} has ${part}=${String(value).slice(0, 20)}, outside ${range.signed ? `±1..${range.max}` : `${range.min}..${range.max}`}`);
      }
    }
  }
}

function checkDate(name: string, value: string): void {
  const match = DATE_TIME.exec(value) ?? DATE.exec(value);
  if (!match) throw invalid(`${name.toUpperCase()} is not a date or date-time: ${value.slice(0, 40)}`);
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).filter((p) => p !== undefined).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60) {
    throw invalid(`${name.toUpperCase()} names a date or time that does not exist: ${value}`);
  }
}

/** VTIMEZONEs found sound: expanding one to 2100 was a tenth of a PUT's work. */
const soundZones = new ZoneDefinitionCache<true>();

/**
 * A VTIMEZONE's observances expand into offset changes whenever a time in the zone is read:
 * rules that make many (FREQ=MINUTELY in a STANDARD) would take the process's memory and time.
 */
function checkZone(zone: IcalComponent): void {
  soundZones.get(zone, () => {
    checkZoneRules(zone);
    return true;
  });
}

function checkZoneRules(zone: IcalComponent): void {
  const tzid = zone.getFirstPropertyValue('tzid');
  if (typeof tzid !== 'string' || tzid === '') throw invalid('a VTIMEZONE needs a TZID');
  const observances = zone.getAllSubcomponents();
  if (observances.length > MAX_OBSERVANCES) throw invalid(`VTIMEZONE ${tzid} has more than ${MAX_OBSERVANCES} observances`);
  for (const observance of observances) {
    if (observance.name !== 'standard' && observance.name !== 'daylight') continue;
    if (!observance.hasProperty('dtstart') || !observance.hasProperty('tzoffsetto') || !observance.hasProperty('tzoffsetfrom')) {
      throw invalid(`VTIMEZONE ${tzid} has an observance without DTSTART, TZOFFSETFROM or TZOFFSETTO`);
    }
    for (const rule of observance.getAllProperties('rrule')) {
      const parts = rule.getFirstValue() as InstanceType<typeof ICAL.Recur>;
      const used = Object.keys(parts.toJSON()).map((part) => part.toLowerCase());
      if (parts.freq !== 'YEARLY' || used.some((part) => !OBSERVANCE_RULE_PARTS.has(part))) {
        throw invalid(`VTIMEZONE ${tzid}: an observance rule must be FREQ=YEARLY with BYMONTH, BYDAY, BYMONTHDAY or BYSETPOS`);
      }
    }
  }
  const timezone = new ICAL.Timezone({ component: zone, tzid });
  try {
    timezone.utcOffset(ICAL.Time.fromData({ year: MAX_ZONE_YEAR, month: 1, day: 1, hour: 0, minute: 0, second: 0 }));
  } catch (error) {
    if (error instanceof RecurrenceLimitExceeded) throw new InvalidCalendarObject('valid-calendar-data', `VTIMEZONE ${tzid} needs more work than the limit allows`);
    throw invalid(`VTIMEZONE ${tzid} cannot be read: ${(error as Error).message}`);
  }
  const changes = (timezone as unknown as { changes: unknown[] }).changes.length;
  if (changes > MAX_ZONE_CHANGES) throw invalid(`VTIMEZONE ${tzid} makes ${changes} offset changes up to ${MAX_ZONE_YEAR}, more than ${MAX_ZONE_CHANGES}`);
}
