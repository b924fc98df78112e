import ICAL, { type IcalComponent, type IcalTime } from './ical-module';
import { InvalidCalendarObject } from './invalid-calendar-object';
import { instancesWithinAtMost } from './recurrence-density';

/**
 * From the start of the first occurrence to the end of the last. `start` may be
 * -Infinity and `end` +Infinity (an unbounded series, a task without dates);
 * `none` is a series whose every instance is excluded: stored and served, never
 * matching a time range.
 */
export type OccurrenceSpan = { start: number; end: number } | 'none';

/** Floating times belong to whatever zone the client is in: widen them by the largest UTC offsets. */
const FLOATING_SLACK_MS = 14 * 3600_000;
const DEFAULT_MAX_INSTANCES = 20_000;
/**
 * A series without end is sampled this far: more instances than this within DENSEST_SAMPLE_MS
 * (more than four a day) make every query from its start walk too many to answer.
 */
const DENSITY_SAMPLE = 400;
const DENSEST_SAMPLE_MS = 100 * 86_400_000;

/** Throws InvalidCalendarObject (max-instances) for a series beyond `maxInstances` (CALDAV:max-instances). */
export function occurrenceSpan(master: IcalComponent | undefined, overrides: IcalComponent[], maxInstances = DEFAULT_MAX_INSTANCES): OccurrenceSpan {
  const spans: { start: number; end: number }[] = overrides.map((o) => instanceSpan(o, startOf(o), endOf(o)));
  if (master) {
    const masterSpan = seriesSpan(master, overrides, maxInstances);
    if (masterSpan !== 'none') spans.push(masterSpan);
  }
  if (spans.length === 0) return 'none';
  const end = master && isPendingTask(master) ? Infinity : Math.max(...spans.map((s) => s.end));
  return { start: Math.min(...spans.map((s) => s.start)), end };
}

/**
 * A task not yet done stays current after its due date: the sync window
 * (com.openexchange.caldav.interval.start) must not hide an overdue task from its owner.
 */
function isPendingTask(master: IcalComponent): boolean {
  if (master.name !== 'vtodo' || master.hasProperty('completed')) return false;
  const status = String(master.getFirstPropertyValue('status') ?? '').toUpperCase();
  return status !== 'COMPLETED' && status !== 'CANCELLED';
}

function seriesSpan(master: IcalComponent, overrides: IcalComponent[], maxInstances: number): OccurrenceSpan {
  const start = startOf(master);
  if (!start) return instanceSpan(master, undefined, endOf(master));
  const isRecurring = master.hasProperty('rrule') || master.hasProperty('rdate');
  if (!isRecurring) return instanceSpan(master, start, endOf(master));

  const rules = master.getAllProperties('rrule').map((p) => p.getFirstValue() as { count?: number; until?: unknown });
  const unbounded = rules.some((rule) => !rule.count && !rule.until);
  const counted = rules.reduce((sum, rule) => sum + (rule.count ?? 0), 0);
  if (counted > maxInstances) throw tooMany(`COUNT ${counted}`, maxInstances);

  const event = new ICAL.Event(master, { exceptions: overrides });
  const overridden = new Set(overrides.map((o) => (o.getFirstPropertyValue('recurrence-id') as IcalTime).toUnixTime()));
  const durationMs = durationOf(master, start);
  const iterator = event.iterator();
  const walk = unbounded ? DENSITY_SAMPLE : maxInstances + 1;
  // A series without end that its rules alone show to be sparse enough needs only its first instance.
  const sparse = unbounded && instancesWithinAtMost(master, DENSEST_SAMPLE_MS) < DENSITY_SAMPLE;
  let first: number | undefined;
  let last: number | undefined;
  let sampleStart: number | undefined;
  let walked = 0;
  for (; walked < walk; walked++) {
    const next: IcalTime | null = iterator.next();
    if (!next) break;
    const at = toMs(next);
    sampleStart ??= at;
    if (overridden.has(next.toUnixTime())) continue;
    first ??= at;
    last = at;
    if (sparse) break;
  }
  if (!unbounded && walked > maxInstances) throw tooMany('its rules', maxInstances);
  if (unbounded && !sparse && walked === DENSITY_SAMPLE && last !== undefined && sampleStart !== undefined && last - sampleStart < DENSEST_SAMPLE_MS) {
    throw new InvalidCalendarObject('max-instances', `a series without end may have at most ${DENSITY_SAMPLE} instances in ${DENSEST_SAMPLE_MS / 86_400_000} days`);
  }
  if (first === undefined || last === undefined) return 'none';
  const slack = start.isDate || start.zone === ICAL.Timezone.localTimezone ? FLOATING_SLACK_MS : 0;
  return { start: first - slack, end: unbounded ? Infinity : last + durationMs + slack };
}

function tooMany(what: string, maxInstances: number): InvalidCalendarObject {
  return new InvalidCalendarObject('max-instances', `${what} make more recurrence instances than max-instances (${maxInstances})`);
}

/** RFC 4791 9.9: the time range a single instance occupies. */
function instanceSpan(component: IcalComponent, start: IcalTime | undefined, end: IcalTime | undefined): { start: number; end: number } {
  const floating = (t: IcalTime | undefined) => t !== undefined && (t.isDate || t.zone === ICAL.Timezone.localTimezone);
  const slack = floating(start) || floating(end) ? FLOATING_SLACK_MS : 0;
  if (component.name === 'vtodo' && !start) {
    const due = end;
    const completed = component.getFirstPropertyValue('completed') as IcalTime | null;
    const created = component.getFirstPropertyValue('created') as IcalTime | null;
    if (due) return { start: -Infinity, end: toMs(due) + slack };
    if (completed || created) {
      const times = [completed, created].filter((t): t is IcalTime => t !== null).map(toMs);
      return { start: created ? toMs(created) - slack : -Infinity, end: completed ? Math.max(...times) + slack : Infinity };
    }
    return { start: -Infinity, end: Infinity };
  }
  if (!start) return { start: -Infinity, end: Infinity };
  const startMs = toMs(start);
  const endMs = end ? toMs(end) : startMs + (start.isDate ? 86_400_000 : 0);
  return { start: startMs - slack, end: Math.max(endMs, startMs) + slack };
}

function startOf(component: IcalComponent): IcalTime | undefined {
  return (component.getFirstPropertyValue('dtstart') as IcalTime | null) ?? undefined;
}

function endOf(component: IcalComponent): IcalTime | undefined {
  const explicit = (component.getFirstPropertyValue(component.name === 'vtodo' ? 'due' : 'dtend') as IcalTime | null) ?? undefined;
  if (explicit) return explicit;
  const start = startOf(component);
  const duration = component.getFirstPropertyValue('duration') as InstanceType<typeof ICAL.Duration> | null;
  if (start && duration) {
    const end = start.clone();
    end.addDuration(duration);
    return end;
  }
  return undefined;
}

function durationOf(component: IcalComponent, start: IcalTime): number {
  const end = endOf(component);
  if (end) return Math.max(0, toMs(end) - toMs(start));
  return start.isDate ? 86_400_000 : 0;
}

function toMs(time: IcalTime): number {
  return time.toJSDate().getTime();
}
