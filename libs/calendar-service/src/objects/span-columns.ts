import { type OccurrenceSpan } from '@davmesh/ical';

/**
 * An occurrence span as the index columns hold it: ISO instants or '-infinity' / 'infinity';
 * a span of no occurrence at all is stored inverted, so no range ever meets it.
 */
export function spanColumns(span: OccurrenceSpan): { firstStart: string; lastEnd: string } {
  if (span === 'none') return { firstStart: 'infinity', lastEnd: '-infinity' };
  const instant = (ms: number) => (ms === -Infinity ? '-infinity' : ms === Infinity ? 'infinity' : new Date(ms).toISOString());
  return { firstStart: instant(span.start), lastEnd: instant(span.end) };
}
