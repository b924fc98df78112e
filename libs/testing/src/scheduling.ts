/**
 * What specs of implicit scheduling read and write of iCalendar text, as a user's client would:
 * an attendee's PARTSTAT and SCHEDULE-STATUS per instance, and the answer they give.
 */

/** An iCalendar text's content lines, unfolded. */
export function unfoldedLines(ical: string): string[] {
  return ical.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
}

/** The value a line ends with for `address`: an e-mail address as `mailto:`, a URI or a path (a principal) as given. */
function valueFor(address: string): string {
  return /^([a-z][a-z0-9+.-]*:|\/)/i.test(address) ? address : `mailto:${address}`;
}

function names(line: string, address: string): boolean {
  return line.toLowerCase().endsWith(`:${valueFor(address).toLowerCase()}`);
}

/**
 * The ATTENDEE (or ORGANIZER) line naming `address` (an e-mail address, taken as `mailto:`, or a
 * principal's URL or path as written), in the component with the given RECURRENCE-ID value
 * (undefined: the master).
 */
export function participantLine(ical: string, address: string, recurrenceId?: string, property: 'ATTENDEE' | 'ORGANIZER' = 'ATTENDEE'): string | undefined {
  let inside = false;
  let instance: string | undefined;
  for (const line of unfoldedLines(ical)) {
    if (/^BEGIN:(VEVENT|VTODO)$/.test(line)) {
      inside = true;
      instance = undefined;
    } else if (/^END:(VEVENT|VTODO)$/.test(line)) inside = false;
    else if (inside && line.startsWith('RECURRENCE-ID')) instance = line.replace(/^[^:]*:/, '');
    else if (inside && instance === recurrenceId && line.startsWith(property) && names(line, address)) return line;
  }
  return undefined;
}

/** A parameter's value on a content line (before its value: the first colon outside quotes). */
export function parameterOf(line: string | undefined, name: string): string | undefined {
  return line ? new RegExp(`;${name}=([^;:]+)`, 'i').exec(line.slice(0, valueStart(line)))?.[1] : undefined;
}

/** Where a content line's value starts: after the first colon outside a quoted parameter value. */
function valueStart(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) return i;
  }
  return line.length;
}

/** The attendee's PARTSTAT in one instance (RFC 5545: NEEDS-ACTION when the parameter is absent); undefined when not invited there. */
export function partstatOf(ical: string, address: string, recurrenceId?: string): string | undefined {
  const line = participantLine(ical, address, recurrenceId);
  return line && (parameterOf(line, 'PARTSTAT') ?? 'NEEDS-ACTION');
}

/** The SCHEDULE-STATUS the server wrote on the attendee (or, with `ORGANIZER`, on the organizer) of the master. */
export function scheduleStatusOf(ical: string, address: string, property: 'ATTENDEE' | 'ORGANIZER' = 'ATTENDEE'): string | undefined {
  return parameterOf(participantLine(ical, address, undefined, property), 'SCHEDULE-STATUS');
}

/** The text with the attendee's answer as a client writes it: PARTSTAT set (RSVP dropped) on each of their ATTENDEE lines, or on the nth only. */
export function withPartstat(ical: string, address: string, partstat: string, nth?: number): string {
  let seen = -1;
  return unfoldedLines(ical)
    .map((line) => {
      if (!line.startsWith('ATTENDEE') || !names(line, address)) return line;
      seen++;
      if (nth !== undefined && seen !== nth) return line;
      const colon = valueStart(line);
      return `${line.slice(0, colon).replace(/;PARTSTAT=[^;:]+/i, '').replace(/;RSVP=[^;:]+/i, '')};PARTSTAT=${partstat}${line.slice(colon)}`;
    })
    .join('\r\n');
}
