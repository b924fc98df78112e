import { CALENDAR_DATA_MAX_DEPTH, CALENDAR_DATA_MAX_NAMES, calendarDataNames, type CalendarDataComp, type CalendarDataProp } from '@davmesh/contracts';
import { caldav, childrenNamed, firstChild, type XmlElement } from '@davmesh/dav';
import { DavHttpError } from '../http/dav-exchange';

const ICAL_NAME = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The CALDAV:comp of a REPORT's calendar-data (RFC 4791 9.6.1-9.6.4) as the contract's selection;
 * a malformed one (no VCALENDAR at the top, a nameless comp or prop, allprop beside prop, too deep
 * or too large) is a 400.
 */
export function calendarDataSelection(comp: XmlElement): CalendarDataComp {
  const selection = readComp(comp, 1);
  if (selection.name !== 'VCALENDAR') throw malformed('the top comp of calendar-data must be VCALENDAR');
  if (calendarDataNames(selection) > CALENDAR_DATA_MAX_NAMES) throw malformed(`calendar-data may name at most ${CALENDAR_DATA_MAX_NAMES} comps and props`);
  return selection;
}

function readComp(element: XmlElement, depth: number): CalendarDataComp {
  const selection: CalendarDataComp = { name: nameOf(element) };
  const props = childrenNamed(element, caldav('prop'));
  if (firstChild(element, caldav('allprop'))) {
    if (props.length > 0) throw malformed('a comp has allprop or prop, not both');
    selection.props = 'all';
  } else if (props.length > 0) selection.props = props.map(readProp);
  const comps = childrenNamed(element, caldav('comp'));
  if (firstChild(element, caldav('allcomp'))) {
    if (comps.length > 0) throw malformed('a comp has allcomp or comp, not both');
    selection.comps = 'all';
  } else if (comps.length > 0) {
    if (depth === CALENDAR_DATA_MAX_DEPTH) throw malformed(`calendar-data comps nest at most ${CALENDAR_DATA_MAX_DEPTH} deep`);
    selection.comps = comps.map((c) => readComp(c, depth + 1));
  }
  return selection;
}

function readProp(element: XmlElement): CalendarDataProp {
  return element.attributes['novalue'] === 'yes' ? { name: nameOf(element), novalue: true } : { name: nameOf(element) };
}

function nameOf(element: XmlElement): string {
  const name = element.attributes['name']?.trim() ?? '';
  if (!ICAL_NAME.test(name)) throw malformed(`calendar-data ${element.name.local} needs an iCalendar name`);
  return name.toUpperCase();
}

function malformed(message: string): DavHttpError {
  return new DavHttpError(400, message);
}
