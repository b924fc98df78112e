import { EUROPE_BERLIN } from '@davmesh/testing';
import { parseVcalendar, readCalendarObject } from './calendar-object';
import ICAL, { type IcalComponent, type IcalTime } from './ical-module';
import { DEFAULT_ICAL_LIMITS } from './ical-limits';
import { RecurrenceLimitExceeded, recurrenceBudget, withinRecurrenceBudget } from './recurrence-budget';
import { instancesWithinAtMost } from './recurrence-density';

const DAY = 86_400_000;

function master(dtstart: string, ...rules: string[]): IcalComponent {
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//test//EN', ...EUROPE_BERLIN, 'BEGIN:VEVENT', 'UID:r', 'DTSTAMP:20260101T000000Z', dtstart, ...rules, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  return parseVcalendar(text).getFirstSubcomponent('vevent')!;
}

/** What ical.js yields, up to `limit` instances or two years, as epoch ms; undefined for a rule it refuses. */
function instances(component: IcalComponent, limit: number): number[] | undefined {
  const found: number[] = [];
  const horizon = (component.getFirstPropertyValue('dtstart') as IcalTime).toJSDate().getTime() + 730 * DAY;
  try {
    // Creating the iterator already looks for the first instance: within the budget too.
    withinRecurrenceBudget(recurrenceBudget(5_000, 50), () => {
      const iterator = new ICAL.Event(component).iterator();
      for (let next = iterator.next(); next && found.length < limit; next = iterator.next()) {
        const at = next.toJSDate().getTime();
        if (at > horizon) break;
        found.push(at);
      }
    });
  } catch (error) {
    // A rule that yields rarely: what it yielded within the steps is the sample.
    if (error instanceof RecurrenceLimitExceeded) return found;
    // A combination RFC 5545 does not allow (BYWEEKNO in a monthly rule): refused at PUT.
    return undefined;
  }
  return found;
}

function densest(times: number[], windowMs: number): number {
  let most = 0;
  for (let from = 0, to = 0; to < times.length; to++) {
    while (times[to] - times[from] >= windowMs) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

const PARTS = [
  '',
  ';BYDAY=MO',
  ';BYDAY=MO,WE,FR',
  ';BYDAY=MO,TU,WE,TH,FR,SA,SU',
  ';BYDAY=1MO',
  ';BYDAY=-1FR,2TU',
  ';BYDAY=1MO,TH',
  ';BYMONTHDAY=1,15,31',
  ';BYMONTHDAY=-1',
  ';BYMONTH=2,6',
  ';BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12',
  ';BYYEARDAY=1,100,-1',
  ';BYWEEKNO=1,20',
  ';BYWEEKNO=20;BYDAY=MO,SU',
  ';BYHOUR=9,17',
  ';BYMINUTE=0,30',
  ';BYHOUR=8,12;BYMINUTE=0,15,30',
  ';BYMONTH=3,10;BYDAY=SU',
  ';BYMONTH=3;BYMONTHDAY=29,30,31',
  ';BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
  ';BYDAY=SA,SU;BYSETPOS=1,2',
  ';BYMONTHDAY=13;BYDAY=FR',
];

describe('the density bound of a recurrence rule', () => {
  const rules = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY'].flatMap((freq) =>
    [1, 2].flatMap((interval) => PARTS.map((parts) => `RRULE:FREQ=${freq};INTERVAL=${interval}${parts}`)),
  );

  it.each(['DTSTART;TZID=Europe/Berlin:20260328T233000', 'DTSTART:20261231T120000Z'])(
    'never counts fewer instances in a window than ical.js yields there (%s)',
    (dtstart) => {
      const undercounted: string[] = [];
      for (const rule of rules) {
        const component = master(dtstart, rule);
        const times = instances(component, 500);
        if (!times) continue;
        for (const windowMs of [DAY, 7 * DAY, 100 * DAY, 400 * DAY]) {
          const bound = instancesWithinAtMost(component, windowMs);
          if (densest(times, windowMs) > bound) undercounted.push(`${rule} in ${windowMs / DAY} days: ${densest(times, windowMs)} > ${bound}`);
        }
      }
      expect(undercounted).toEqual([]);
    },
  );

  it('adds the RDATEs to the rules', () => {
    const rule = instancesWithinAtMost(master('DTSTART:20260101T100000Z', 'RRULE:FREQ=WEEKLY'), 7 * DAY);
    const withDates = master('DTSTART:20260101T100000Z', 'RRULE:FREQ=WEEKLY', 'RDATE:20260102T100000Z,20260103T100000Z', 'RDATE:20260104T100000Z');
    expect(instancesWithinAtMost(withDates, 7 * DAY)).toBe(rule + 3);
  });

});

describe('a series without end', () => {
  const open = (rule: string) =>
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//test//EN', 'BEGIN:VEVENT', 'UID:open', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260105T080000Z', 'DTEND:20260105T090000Z', rule, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

  it('that its rule shows sparse is read from its first instance, within a few recurrence steps', () => {
    const limits = { ...DEFAULT_ICAL_LIMITS, recurrenceSteps: 20 };
    expect(readCalendarObject(open('RRULE:FREQ=WEEKLY;BYDAY=MO,TH'), limits).span).toEqual({ start: Date.parse('2026-01-05T08:00:00Z'), end: Infinity });
  });

  it('with more than 400 instances in 100 days is refused', () => {
    expect(() => readCalendarObject(open('RRULE:FREQ=DAILY;BYHOUR=8,11,14,17,20'))).toThrow(expect.objectContaining({ condition: 'max-instances' }));
  });

  it('that its rule cannot show sparse is sampled, and kept when the sample is', () => {
    // Every weekday of every month: the bound (600 in 100 days) cannot tell; the 400 sampled span a year and a half.
    const summary = readCalendarObject(open('RRULE:FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYDAY=MO,TU,WE,TH,FR'));
    expect(summary.span).toEqual({ start: Date.parse('2026-01-05T08:00:00Z'), end: Infinity });
  });
});
