import {
  type CalendarDataShape,
  type CalendarParamFilter,
  type CalendarPropFilter,
  type CalendarTextMatch,
  type CompFilter,
  type TimeRange,
} from '@davmesh/contracts';
import { caldav, childrenNamed, dav, firstChild, type XmlElement, Condition } from '@davmesh/dav';
import { preconditionError } from '../http/reply-errors';
import { type MemberProps } from '../resources/adapters';
import { calendarDataSelection } from './calendar-data-selection';
import { isSupportedCalendarData } from './calendar-media';

const COLLATIONS = new Set(['i;ascii-casemap', 'i;octet', 'i;unicode-casemap']);

export interface CalendarMemberProps extends MemberProps {
  calendarData: CalendarDataShape;
}

/**
 * The DAV:prop of a calendar REPORT (allprop when absent) and what its calendar-data asks for
 * (RFC 4791 9.6); CALDAV:supported-calendar-data for another media type than iCalendar 2.0.
 */
export function calendarReportProps(body: XmlElement): CalendarMemberProps {
  const prop = firstChild(body, dav('prop'));
  if (!prop) return { propfind: { kind: 'allprop', include: [] }, calendarData: {}, wantsData: false };
  const data = firstChild(prop, caldav('calendar-data'));
  if (data && !isSupportedCalendarData(data)) throw preconditionError(403, Condition.SupportedCalendarData);
  const calendarData: CalendarDataShape = {};
  const expand = data && firstChild(data, caldav('expand'));
  if (expand) calendarData.expand = closedRange(expand);
  const limit = data && firstChild(data, caldav('limit-recurrence-set'));
  if (limit) calendarData.limitRecurrenceSet = closedRange(limit);
  const comp = data && firstChild(data, caldav('comp'));
  if (comp) calendarData.select = calendarDataSelection(comp);
  return { propfind: { kind: 'prop', props: prop.children.map((c) => c.name) }, calendarData, wantsData: data !== undefined };
}

/** RFC 4791 9.9 UTC date-time (`20060104T000000Z`) → ISO instant; 400-class refusal for anything else. */
export function icalUtcToIso(value: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim());
  if (!match) throw preconditionError(403, Condition.ValidFilter);
  const [, y, mo, d, h, mi, s] = match;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}.000Z`;
  if (Number.isNaN(Date.parse(iso))) throw preconditionError(403, Condition.ValidFilter);
  return iso;
}

function timeRangeOf(element: XmlElement): TimeRange {
  const { start, end } = element.attributes;
  if (start === undefined && end === undefined) throw preconditionError(403, Condition.ValidFilter);
  return { ...(start !== undefined ? { start: icalUtcToIso(start) } : {}), ...(end !== undefined ? { end: icalUtcToIso(end) } : {}) };
}

export function closedRange(element: XmlElement): { start: string; end: string } {
  const { start, end } = timeRangeOf(element);
  if (!start || !end) throw preconditionError(403, Condition.ValidFilter);
  return { start, end };
}

/** CALDAV:filter → the contract's CompFilter (its top comp-filter, which must be VCALENDAR). */
export function parseCalendarFilter(filter: XmlElement | undefined): CompFilter {
  const top = filter && childrenNamed(filter, caldav('comp-filter'));
  if (!top || top.length !== 1 || top[0].attributes['name']?.toUpperCase() !== 'VCALENDAR') throw preconditionError(403, Condition.ValidFilter);
  return compFilter(top[0]);
}

function nameOf(element: XmlElement): string {
  const name = element.attributes['name'];
  if (!name) throw preconditionError(403, Condition.ValidFilter);
  return name.toUpperCase();
}

function compFilter(element: XmlElement): CompFilter {
  const filter: CompFilter = { name: nameOf(element) };
  if (firstChild(element, caldav('is-not-defined'))) return { ...filter, isNotDefined: true };
  const timeRange = firstChild(element, caldav('time-range'));
  if (timeRange) filter.timeRange = timeRangeOf(timeRange);
  const props = childrenNamed(element, caldav('prop-filter')).map(propFilter);
  if (props.length > 0) filter.propFilters = props;
  const comps = childrenNamed(element, caldav('comp-filter')).map(compFilter);
  if (comps.length > 0) filter.compFilters = comps;
  return filter;
}

function propFilter(element: XmlElement): CalendarPropFilter {
  const filter: CalendarPropFilter = { name: nameOf(element) };
  if (firstChild(element, caldav('is-not-defined'))) return { ...filter, isNotDefined: true };
  const timeRange = firstChild(element, caldav('time-range'));
  if (timeRange) filter.timeRange = timeRangeOf(timeRange);
  const text = firstChild(element, caldav('text-match'));
  if (text) filter.textMatch = textMatch(text);
  const params = childrenNamed(element, caldav('param-filter')).map(paramFilter);
  if (params.length > 0) filter.paramFilters = params;
  return filter;
}

function paramFilter(element: XmlElement): CalendarParamFilter {
  const filter: CalendarParamFilter = { name: nameOf(element) };
  if (firstChild(element, caldav('is-not-defined'))) return { ...filter, isNotDefined: true };
  const text = firstChild(element, caldav('text-match'));
  return text ? { ...filter, textMatch: textMatch(text) } : filter;
}

/** RFC 4791 9.7.5: substring match, i;ascii-casemap unless the client names another collation. */
function textMatch(element: XmlElement): CalendarTextMatch {
  const collation = element.attributes['collation'] ?? 'i;ascii-casemap';
  if (!COLLATIONS.has(collation)) throw preconditionError(403, Condition.CalendarSupportedCollation);
  return {
    value: element.text,
    collation: collation as CalendarTextMatch['collation'],
    negate: element.attributes['negate-condition'] === 'yes',
    matchType: 'contains',
  };
}
