import { SCHEDULE_INBOX_SEGMENT } from '@davmesh/contracts';
import { type PropertyContext } from '../properties/property';
import { type ReportRegistry } from '../reports/report-registry';
import { contextIn } from '../resources/dav-scope';
import { type Resource } from '../resources/resource';
import { type CaldavScope, type CalendarView } from './caldav-scope';

/** The property context of the calendar home, a calendar or the schedule inbox. */
export function collectionContext(scope: CaldavScope, reports: ReportRegistry, calendar?: CalendarView): PropertyContext {
  const resource = collectionResource(scope, calendar);
  return { ...contextIn(scope, resource), reports: reports.namesFor(resource.kind), calendar };
}

function collectionResource(scope: CaldavScope, calendar: CalendarView | undefined): Resource {
  if (!calendar) return { kind: 'calendar-home', path: scope.homeHref };
  if (calendar.inbox) return { kind: 'schedule-inbox', path: calendar.href, segment: SCHEDULE_INBOX_SEGMENT };
  return { kind: 'calendar', path: calendar.href, segment: calendar.segment };
}

/** The property context of one object of a calendar (or of the inbox), for PROPFIND and REPORTs alike. */
export function calendarObjectContext(scope: CaldavScope, calendar: CalendarView, calendarObject: NonNullable<PropertyContext['calendarObject']>): PropertyContext {
  const resource: Resource = { kind: 'calendar-object', path: `${calendar.href}${calendarObject.name}`, segment: calendar.segment, name: calendarObject.name };
  return { ...contextIn(scope, resource), calendar, calendarObject };
}
