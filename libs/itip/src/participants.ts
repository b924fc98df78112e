import { type IcalComponent } from '@davmesh/ical';
import { calendarAddress } from './calendar-user';

export type IcalProperty = ReturnType<IcalComponent['getAllProperties']>[number];

/** RFC 6638 7.1: who schedules with a calendar user; a value nobody knows counts as NONE. */
export type ScheduleAgent = 'SERVER' | 'CLIENT' | 'NONE';

/** The parameters RFC 6638 7.1 to 7.3 keep out of every scheduling message. */
export const SERVER_PARAMETERS = ['schedule-agent', 'schedule-status', 'schedule-force-send'] as const;

export function addressOf(property: IcalProperty): string {
  return calendarAddress(String(property.getFirstValue() ?? ''));
}

export function agentOf(property: IcalProperty): ScheduleAgent {
  const agent = parameterOf(property, 'schedule-agent')?.toUpperCase();
  if (agent === undefined || agent === 'SERVER') return 'SERVER';
  return agent === 'CLIENT' ? 'CLIENT' : 'NONE';
}

/** RFC 5545 3.2.12: PARTSTAT, NEEDS-ACTION when absent. */
export function partstatOf(property: IcalProperty): string {
  return parameterOf(property, 'partstat')?.toUpperCase() ?? 'NEEDS-ACTION';
}

export function parameterOf(property: IcalProperty, name: string): string | undefined {
  const value = property.getParameter(name) as string | string[] | undefined;
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** The normalised ORGANIZER of one component. */
export function organizerAddressOf(component: IcalComponent): string | undefined {
  const organizer = component.getFirstProperty('organizer');
  return organizer ? addressOf(organizer) : undefined;
}

const attendeeIndex = new WeakMap<IcalComponent, { properties: number; byAddress: Map<string, IcalProperty> }>();

/**
 * The component's ATTENDEE with this normalised address (the first of duplicates). Indexed once
 * per component, so looking up every attendee of a large meeting stays linear; rebuilt when the
 * number of properties changes (nothing here replaces one attendee by another in place).
 */
export function attendeeIn(component: IcalComponent, address: string): IcalProperty | undefined {
  const properties = (component.jCal as unknown[][])[1].length;
  let index = attendeeIndex.get(component);
  if (!index || index.properties !== properties) {
    const byAddress = new Map<string, IcalProperty>();
    for (const attendee of component.getAllProperties('attendee')) if (!byAddress.has(addressOf(attendee))) byAddress.set(addressOf(attendee), attendee);
    index = { properties, byAddress };
    attendeeIndex.set(component, index);
  }
  return index.byAddress.get(address);
}

/** Drops the server's parameters (RFC 6638 7.1 to 7.3) from a component's ORGANIZER and ATTENDEEs. */
export function withoutServerParameters(component: IcalComponent): void {
  for (const property of [...component.getAllProperties('organizer'), ...component.getAllProperties('attendee')]) {
    for (const name of SERVER_PARAMETERS) property.removeParameter(name);
  }
}
