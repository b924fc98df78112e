import { type CalendarDataComp, type CalendarDataProp } from '@davmesh/contracts';
import ICAL from './ical-module';
import { parseVcalendar } from './calendar-object';

/** jCal: a component is [name, properties, subcomponents], a property [name, parameters, type, ...values]. */
type JcalProperty = [string, Record<string, unknown>, string, ...unknown[]];
type JcalComponent = [string, JcalProperty[], JcalComponent[]];

const CRLF = '\r\n';
const DESIGN = ICAL.design.getDesignSet('vcalendar');

/**
 * calendar-data comp/prop (RFC 4791 9.6.1-9.6.4): only the selected components and properties of
 * the object, in their stored order; a `novalue` property keeps its name and parameters and a
 * trailing ":". `selection` names the top component (VCALENDAR).
 */
export function selectCalendarData(text: string, selection: CalendarDataComp): string {
  const root = parseVcalendar(text).toJSON() as JcalComponent;
  if (!sameName(root[0], selection.name)) throw new Error(`the selection starts at ${selection.name}, the object at ${root[0].toUpperCase()}`);
  return serialize(root, selection) + CRLF;
}

function serialize(component: JcalComponent, selection: CalendarDataComp | 'all'): string {
  const [name, properties, subcomponents] = component;
  const whole = selection === 'all' || (selection.props === undefined && selection.comps === undefined);
  const lines = [`BEGIN:${name.toUpperCase()}`];
  for (const property of properties) {
    const prop = whole ? 'all' : chosenProp(selection.props, property[0]);
    if (prop) lines.push(prop !== 'all' && prop.novalue ? withoutValue(property) : ICAL.stringify.property(property, DESIGN, false));
  }
  for (const subcomponent of subcomponents) {
    const comp = whole ? 'all' : chosenComp(selection.comps, subcomponent[0]);
    if (comp) lines.push(serialize(subcomponent, comp));
  }
  lines.push(`END:${name.toUpperCase()}`);
  return lines.join(CRLF);
}

/** The prop entry for this property: one asking for the value wins over a `novalue` one of the same name. */
function chosenProp(props: CalendarDataComp['props'], name: string): CalendarDataProp | 'all' | undefined {
  if (props === 'all') return 'all';
  const matching = (props ?? []).filter((p) => sameName(p.name, name));
  return matching.find((p) => !p.novalue) ?? matching[0];
}

function chosenComp(comps: CalendarDataComp['comps'], name: string): CalendarDataComp | 'all' | undefined {
  if (comps === 'all') return 'all';
  return (comps ?? []).find((c) => sameName(c.name, name));
}

/** The property line up to its value: name, parameters (VALUE included) and ":", folded. */
function withoutValue(property: JcalProperty): string {
  const line = ICAL.stringify.property(property, DESIGN, true);
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) return ICAL.helpers.foldline(line.slice(0, i + 1));
  }
  return ICAL.helpers.foldline(line);
}

function sameName(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}
