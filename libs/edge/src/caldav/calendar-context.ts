import { type PropertyContext } from '../properties/property';
import { type ReportRegistry } from '../reports/report-registry';
import { contextIn } from '../resources/dav-scope';
import { type Resource } from '../resources/resource';
import { type CaldavScope, type CalendarView } from './caldav-scope';

/** The property context of the calendar home or a calendar. */
export function collectionContext(scope: CaldavScope, reports: ReportRegistry, calendar?: CalendarView): PropertyContext {
  const resource: Resource = calendar ? { kind: 'calendar', path: calendar.href, segment: calendar.segment } : { kind: 'calendar-home', path: scope.homeHref };
  return { ...contextIn(scope, resource), reports: reports.namesFor(resource.kind), calendar };
}

/** The property context of one object of a calendar, for PROPFIND and REPORTs alike. */
export function calendarObjectContext(scope: CaldavScope, calendar: CalendarView, calendarObject: NonNullable<PropertyContext['calendarObject']>): PropertyContext {
  const resource: Resource = { kind: 'calendar-object', path: `${calendar.href}${calendarObject.name}`, segment: calendar.segment, name: calendarObject.name };
  return { ...contextIn(scope, resource), calendar, calendarObject };
}
