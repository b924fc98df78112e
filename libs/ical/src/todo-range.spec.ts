import { vcalendar, vtodo } from '@davmesh/testing';
import { matchesCalendarFilter } from './calendar-filter';
import { parseVcalendar } from './calendar-object';

/** Tasks whose time-range answer RFC 4791 9.9 fixes, against the range [10:00, 12:00) of 2 March 2026. */
const RANGE = { start: '2026-03-02T10:00:00.000Z', end: '2026-03-02T12:00:00.000Z' };

function inRange(...props: string[]): boolean {
  const filter = { name: 'VCALENDAR', compFilters: [{ name: 'VTODO', timeRange: RANGE }] };
  return matchesCalendarFilter(parseVcalendar(vcalendar(...vtodo('t', ...props))), filter);
}

describe('time-range on tasks, by the VTODO rows of RFC 4791 9.9', () => {
  it('places a task with only DUE at its due instant, the end of the range included and its start not', () => {
    expect(inRange('DUE:20260302T120000Z')).toBe(true);
    expect(inRange('DUE:20260302T100000Z')).toBe(false);
    expect(inRange('DUE:20260302T110000Z')).toBe(true);
  });

  it('places a task with only DTSTART at its start, the start of the range included and its end not', () => {
    expect(inRange('DTSTART:20260302T100000Z')).toBe(true);
    expect(inRange('DTSTART:20260302T120000Z')).toBe(false);
  });

  it('places DTSTART with DUE over the whole span, including a task that starts and is due where the range ends', () => {
    expect(inRange('DTSTART:20260301T000000Z', 'DUE:20260305T000000Z')).toBe(true);
    expect(inRange('DTSTART:20260302T080000Z', 'DUE:20260302T100000Z')).toBe(false);
    expect(inRange('DTSTART:20260302T120000Z', 'DUE:20260302T120000Z')).toBe(true);
  });

  it('places DTSTART with DURATION up to and including its end', () => {
    expect(inRange('DTSTART:20260302T080000Z', 'DURATION:PT2H')).toBe(true);
    expect(inRange('DTSTART:20260302T060000Z', 'DURATION:PT2H')).toBe(false);
  });

  it('places an undated task by COMPLETED and CREATED, and one with neither always', () => {
    expect(inRange('COMPLETED:20260302T120000Z')).toBe(true);
    expect(inRange('COMPLETED:20260302T090000Z')).toBe(false);
    expect(inRange('CREATED:20260301T000000Z', 'COMPLETED:20260302T100000Z')).toBe(true);
    expect(inRange('CREATED:20260302T130000Z', 'COMPLETED:20260302T140000Z')).toBe(false);
    expect(inRange('CREATED:20260302T115959Z')).toBe(true);
    expect(inRange('CREATED:20260302T120000Z')).toBe(false);
    expect(inRange('SUMMARY:Someday')).toBe(true);
  });

  it('places each instance of a repeating task (DTSTART, DUE, RRULE) by the same rows', () => {
    expect(inRange('DTSTART:20260228T090000Z', 'DUE:20260228T100000Z', 'RRULE:FREQ=DAILY;COUNT=5')).toBe(false);
    expect(inRange('DTSTART:20260228T100000Z', 'DUE:20260228T120000Z', 'RRULE:FREQ=DAILY;COUNT=5')).toBe(true);
    expect(inRange('DTSTART:20260228T110000Z', 'DUE:20260228T130000Z', 'RRULE:FREQ=DAILY;COUNT=2')).toBe(false);
  });
});
