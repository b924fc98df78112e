import { ICAL, type IcalComponent } from '@davmesh/ical';

export const ORGANIZER = 'mailto:olivia@example.com';
export const ALICE = 'mailto:alice@example.com';
export const BOB = 'mailto:bob@example.com';
export const CAROL = 'mailto:carol@example.com';
/** The fixed time messages are stamped with in specs. */
export const NOW = new Date('2026-02-01T12:00:00Z');

/** A VCALENDAR around the given lines, CRLF-terminated. */
export function calendar(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//itip spec//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

/** A VEVENT organised by ORGANIZER, with the given further lines. */
export function meeting(uid: string, ...lines: string[]): string[] {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', `ORGANIZER;CN=Olivia:${ORGANIZER}`, ...lines, 'END:VEVENT'];
}

export function attendee(address: string, ...parameters: string[]): string {
  return ['ATTENDEE', ...parameters].join(';') + `:${address}`;
}

/** What a spec reads of a calendar or a message, through ical.js. */
export class Parsed {
  readonly root: IcalComponent;

  constructor(ical: string) {
    this.root = new ICAL.Component(ICAL.parse(ical) as unknown[]);
  }

  get method(): string | undefined {
    return (this.root.getFirstPropertyValue('method') as string | null) ?? undefined;
  }

  get components(): IcalComponent[] {
    return this.root.getAllSubcomponents().filter((component) => component.name !== 'vtimezone');
  }

  get zones(): string[] {
    return this.root.getAllSubcomponents('vtimezone').map((zone) => String(zone.getFirstPropertyValue('tzid')));
  }

  /** The RECURRENCE-ID of each component as written, '' for the master. */
  get instances(): string[] {
    return this.components.map((component) => String(component.getFirstProperty('recurrence-id')?.toICALString().replace(/^[^:]*:/, '') ?? ''));
  }

  /** The component of one instance ('' for the master). */
  instance(recurrenceId = ''): IcalComponent {
    const index = this.instances.indexOf(recurrenceId);
    if (index < 0) throw new Error(`no component for instance '${recurrenceId}' among ${JSON.stringify(this.instances)}`);
    return this.components[index];
  }

  /** The attendees of one instance, lowercased addresses. */
  attendees(recurrenceId = ''): string[] {
    return this.instance(recurrenceId)
      .getAllProperties('attendee')
      .map((attendee) => String(attendee.getFirstValue()).toLowerCase());
  }

  /** One parameter of one attendee of one instance, uppercased; undefined when absent. */
  parameter(address: string, name: string, recurrenceId = ''): string | undefined {
    const attendee = this.instance(recurrenceId)
      .getAllProperties('attendee')
      .find((property) => String(property.getFirstValue()).toLowerCase() === address.toLowerCase());
    if (!attendee) throw new Error(`${address} is no attendee of instance '${recurrenceId}'`);
    const value = attendee.getParameter(name);
    return value === undefined || value === null ? undefined : String(value).toUpperCase();
  }

  partstat(address: string, recurrenceId = ''): string {
    return this.parameter(address, 'partstat', recurrenceId) ?? 'NEEDS-ACTION';
  }

  value(name: string, recurrenceId = ''): string | undefined {
    const property = this.instance(recurrenceId).getFirstProperty(name);
    return property ? property.toICALString().replace(/^[^:]*:/, '') : undefined;
  }

  /** Every value of a property in one instance, as written (EXDATE, RDATE). */
  values(name: string, recurrenceId = ''): string[] {
    return this.instance(recurrenceId)
      .getAllProperties(name)
      .flatMap((property) => property.toICALString().replace(/^[^:]*:/, '').split(','));
  }
}
