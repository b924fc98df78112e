import { CALENDAR_MAX_DATE_TIME, CALENDAR_MIN_DATE_TIME, type EffectiveConfig, type TimeWindow } from '@davmesh/contracts';

const MINUTE = 60_000;
const MONTHS_BACK: Record<string, number> = { one_month: 1, six_months: 6, one_year: 12 };
const MONTHS_AHEAD: Record<string, number> = { one_year: 12, two_years: 24 };

function monthsFrom(now: Date, months: number): string {
  const date = new Date(now);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString();
}

/**
 * com.openexchange.caldav.interval.start/.end: objects with no occurrence in this window
 * are not listed, queried or synced. `unlimited` (our extension of the guide's values) opens
 * that side up to the earliest or latest instant a calendar accepts at all. The window moves
 * in steps of a minute.
 */
export function syncWindow(config: EffectiveConfig, clock = new Date()): TimeWindow {
  // Whole minutes: requests within a minute share one window, so a listing kept for it serves them all.
  const now = new Date(Math.floor(clock.getTime() / MINUTE) * MINUTE);
  const start = String(config.values['com.openexchange.caldav.interval.start'].value);
  const end = String(config.values['com.openexchange.caldav.interval.end'].value);
  return {
    start: start === 'unlimited' ? CALENDAR_MIN_DATE_TIME : monthsFrom(now, -(MONTHS_BACK[start] ?? 1)),
    end: end === 'unlimited' ? CALENDAR_MAX_DATE_TIME : monthsFrom(now, MONTHS_AHEAD[end] ?? 12),
  };
}
