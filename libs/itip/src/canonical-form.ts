import { ICAL, type IcalComponent } from '@davmesh/ical';
import { calendarAddress } from './calendar-user';
import { timeKey } from './instance-keys';
import { type IcalProperty } from './participants';

/** What a comparison leaves out. Names are lowercase, as ical.js keeps them. */
export interface ComparisonRules {
  ignoreProperty(name: string): boolean;
  ignoreParameter(property: string, parameter: string): boolean;
  ignoreComponent(name: string): boolean;
  /** EXDATE values (timeKeys) left out. */
  ignoredExdates?: ReadonlySet<string>;
}

/**
 * Properties a client rewrites for its own bookkeeping on every copy (Thunderbird's alarm
 * acknowledgement, snooze and generation counter): never a change worth a message, never sent.
 */
export function isPersonalProperty(name: string): boolean {
  return /^x-moz-(lastack|snooze-time.*|generation)$/.test(name);
}

/** One line per property (EXDATE and RDATE folded into one set each), and per sub-component, by name. */
export function comparableLines(component: IcalComponent, rules: ComparisonRules): Map<string, string[]> {
  const lines = new Map<string, string[]>();
  const add = (name: string, line: string) => {
    const list = lines.get(name);
    if (list) list.push(line);
    else lines.set(name, [line]);
  };
  const dateSets = new Map<string, Set<string>>();
  for (const property of component.getAllProperties()) {
    const name = property.name;
    if (rules.ignoreProperty(name)) continue;
    if (name === 'exdate' || name === 'rdate') {
      const set = dateSets.get(name) ?? new Set<string>();
      for (const value of property.getValues() as unknown[]) set.add(valueKey(value));
      dateSets.set(name, set);
      continue;
    }
    add(name, propertyLine(property, rules));
  }
  for (const [name, values] of dateSets) {
    const kept = [...values].filter((key) => name !== 'exdate' || !rules.ignoredExdates?.has(key));
    if (kept.length > 0) add(name, `${name}:${kept.sort().join(',')}`);
  }
  for (const child of component.getAllSubcomponents()) {
    if (!rules.ignoreComponent(child.name)) add(child.name, `[${child.name}\n${computeText(child, rules)}]`);
  }
  for (const list of lines.values()) list.sort();
  return lines;
}

const texts = new WeakMap<IcalComponent, Map<ComparisonRules, string>>();

/**
 * The component as one string two copies share exactly when they agree under the rules. Kept
 * per component and rules object (components are not changed once compared), so comparing the
 * views of a thousand attendees reads a large component once.
 */
export function comparableText(component: IcalComponent, rules: ComparisonRules): string {
  const known = texts.get(component) ?? new Map<ComparisonRules, string>();
  texts.set(component, known);
  let text = known.get(rules);
  if (text === undefined) {
    text = computeText(component, rules);
    known.set(rules, text);
  }
  return text;
}

function computeText(component: IcalComponent, rules: ComparisonRules): string {
  return [...comparableLines(component, rules)]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, list]) => list.join('\n'))
    .join('\n');
}

/** The names of the properties and sub-components whose lines differ between two components. */
export function differingNames(before: IcalComponent, after: IcalComponent, rules: ComparisonRules): string[] {
  const a = comparableLines(before, rules);
  const b = comparableLines(after, rules);
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((name) => (a.get(name) ?? []).join('\n') !== (b.get(name) ?? []).join('\n')).sort();
}

function propertyLine(property: IcalProperty, rules: ComparisonRules): string {
  const [name, parameters] = property.jCal as [string, Record<string, unknown>];
  const kept = Object.entries(parameters)
    .filter(([parameter]) => parameter !== 'tzid' && !rules.ignoreParameter(name, parameter))
    .map(([parameter, value]) => `${parameter}=${Array.isArray(value) ? value.join(',') : String(value)}`)
    .sort();
  const values = name === 'attendee' || name === 'organizer' ? [calendarAddress(String(property.getFirstValue() ?? ''))] : (property.getValues() as unknown[]).map(valueKey);
  return `${name};${kept.join(';')}:${values.join(',')}`;
}

function valueKey(value: unknown): string {
  if (value instanceof ICAL.Time) return timeKey(value);
  if (value instanceof ICAL.Period) return `${timeKey(value.start)}/${value.end ? timeKey(value.end) : String(value.duration)}`;
  if (value !== null && typeof value === 'object') return String(value.toString());
  return String(value);
}
