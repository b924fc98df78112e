import { type EffectiveConfig, type TimeWindow } from '@davmesh/contracts';

const MONTHS_BACK: Record<string, number> = { one_month: 1, six_months: 6, one_year: 12 };
const MONTHS_AHEAD: Record<string, number> = { one_year: 12, two_years: 24 };

function monthsFrom(now: Date, months: number): string {
  const date = new Date(now);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString();
}

/**
 * com.openexchange.caldav.interval.start/.end: objects with no occurrence in this window
 * are not listed, queried or synced.
 */
export function syncWindow(config: EffectiveConfig, now = new Date()): TimeWindow {
  const back = MONTHS_BACK[String(config.values['com.openexchange.caldav.interval.start'].value)] ?? 1;
  const ahead = MONTHS_AHEAD[String(config.values['com.openexchange.caldav.interval.end'].value)] ?? 12;
  return { start: monthsFrom(now, -back), end: monthsFrom(now, ahead) };
}
