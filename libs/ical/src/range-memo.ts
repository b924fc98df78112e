import { type IcalComponent } from './ical-module';

const RANGES_KEPT = 4;

/**
 * What was computed on a parsed object for a range, the last few ranges of each object: a
 * calendar-query with `expand` asks twice (to match, to expand), and a parsed object kept
 * across requests meets the ranges clients poll again. The object must not change afterwards.
 */
export function rangeMemo<T>(compute: (root: IcalComponent, start: number, end: number) => T): (root: IcalComponent, start: number, end: number) => T {
  const computed = new WeakMap<IcalComponent, Map<string, T>>();
  return (root, start, end) => {
    const key = `${start}/${end}`;
    let known = computed.get(root);
    if (known?.has(key)) return known.get(key)!;
    const value = compute(root, start, end);
    if (!known) computed.set(root, (known = new Map()));
    if (known.size >= RANGES_KEPT) known.delete(known.keys().next().value!);
    known.set(key, value);
    return value;
  };
}
