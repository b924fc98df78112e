import { type IcalComponent } from './ical-module';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The shortest a period of each FREQ can be, in local time: a month has at least 28 days, a year 365. */
const SHORTEST_PERIOD_MS: Record<string, number> = {
  SECONDLY: 1000,
  MINUTELY: 60_000,
  HOURLY: HOUR_MS,
  DAILY: DAY_MS,
  WEEKLY: 7 * DAY_MS,
  MONTHLY: 28 * DAY_MS,
  YEARLY: 365 * DAY_MS,
};

/**
 * Instances are counted in local time; a window of real time holds local times as much wider as
 * the zone's offsets differ (an hour at a DST change; a VTIMEZONE may state any offset up to
 * ±99:99:99, as ical.js reads TZOFFSETTO).
 */
const OFFSET_SWING_MS = 2 * (99 * HOUR_MS + 99 * 60_000 + 99_000);

interface RuleValue {
  freq?: string;
  interval?: number;
  parts?: Record<string, unknown[]>;
}

/**
 * At most how many instances a component's RRULEs and RDATEs can put in any window of
 * `windowMs`, from the rules alone (RFC 5545 3.3.10), without iterating them: every BYxxx part
 * counts as expanding by its length, a weekday without ordinal as every such day of the
 * period. Never less than the instances ical.js yields there, which does not always narrow
 * by BYSETPOS or BYWEEKNO as RFC 5545 says: those never lower the bound. Infinity for a rule
 * it cannot bound.
 */
export function instancesWithinAtMost(master: IcalComponent, windowMs: number): number {
  let bound = 0;
  for (const property of master.getAllProperties('rdate')) bound += property.getValues().length;
  for (const property of master.getAllProperties('rrule')) {
    const rule = property.getFirstValue() as RuleValue;
    const shortest = SHORTEST_PERIOD_MS[String(rule.freq ?? '').toUpperCase()];
    // ical.js has refused any other FREQ, and reads a missing or zero INTERVAL as 1.
    if (!shortest) return Infinity;
    const interval = Math.max(1, Number(rule.interval) || 1);
    // A window starting late in one period and ending early in another touches two more than it holds whole.
    const periods = Math.floor((windowMs + OFFSET_SWING_MS) / (shortest * interval)) + 2;
    bound += periods * perPeriodAtMost(String(rule.freq).toUpperCase(), rule.parts ?? {});
  }
  return bound;
}

function perPeriodAtMost(freq: string, parts: Record<string, unknown[]>): number {
  const count = (part: string) => parts[part]?.length ?? 0;
  const has = (part: string) => count(part) > 0;
  let instances = 1;
  for (const part of ['BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYYEARDAY', 'BYMONTH']) if (has(part)) instances *= count(part);
  if (has('BYDAY')) {
    const days = parts.BYDAY.map(String);
    const ordinal = days.filter((day) => /\d/.test(day)).length;
    // How often a weekday without ordinal recurs in one period: in a year, a month or a week.
    const span = freq === 'YEARLY' ? (has('BYMONTH') ? 5 : 53) : freq === 'MONTHLY' ? 5 : 1;
    instances *= (days.length - ordinal) * span + ordinal;
  }
  // A month day in a yearly rule without BYMONTH falls in every month.
  if (has('BYMONTHDAY')) instances *= count('BYMONTHDAY') * (freq === 'YEARLY' && !has('BYMONTH') ? 12 : 1);
  if (has('BYWEEKNO')) instances *= count('BYWEEKNO') * 7;
  return instances;
}
