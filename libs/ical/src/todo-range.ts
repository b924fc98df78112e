import { type IcalComponent, type IcalTime } from './ical-module';

/** What a VTODO (or one instance of it) has, in epoch milliseconds, for the RFC 4791 9.9 table. */
export interface TodoTimes {
  start?: number;
  /** DTSTART + DURATION. */
  durationEnd?: number;
  due?: number;
  completed?: number;
  created?: number;
}

/**
 * RFC 4791 9.9, the VTODO rows: unlike events, a task's bounds are not a half-open
 * interval (a task due exactly at the end of the range is in it; one due exactly at its
 * start is not), and undated tasks are placed by COMPLETED and CREATED, or always match.
 */
export function todoOverlaps(todo: TodoTimes, rangeStart: number, rangeEnd: number): boolean {
  const { start, durationEnd, due, completed, created } = todo;
  if (start !== undefined && durationEnd !== undefined) return rangeStart <= durationEnd && (rangeEnd > start || rangeEnd >= durationEnd);
  if (start !== undefined && due !== undefined) return (rangeStart < due || rangeStart <= start) && (rangeEnd > start || rangeEnd >= due);
  if (start !== undefined) return rangeStart <= start && rangeEnd > start;
  if (due !== undefined) return rangeStart < due && rangeEnd >= due;
  if (completed !== undefined && created !== undefined) {
    return (rangeStart <= created || rangeStart <= completed) && (rangeEnd >= created || rangeEnd >= completed);
  }
  if (completed !== undefined) return rangeStart <= completed && rangeEnd >= completed;
  if (created !== undefined) return rangeEnd > created;
  return true;
}

/** The table's inputs read from a VTODO component. */
export function todoTimes(component: IcalComponent): TodoTimes {
  const ms = (name: string) => {
    const value = component.getFirstPropertyValue(name) as IcalTime | null;
    return value ? value.toJSDate().getTime() : undefined;
  };
  const start = ms('dtstart');
  const due = ms('due');
  const times: TodoTimes = { start, due, completed: ms('completed'), created: ms('created') };
  const duration = component.getFirstPropertyValue('duration') as { toSeconds(): number } | null;
  if (start !== undefined && due === undefined && duration) times.durationEnd = start + duration.toSeconds() * 1000;
  return times;
}
