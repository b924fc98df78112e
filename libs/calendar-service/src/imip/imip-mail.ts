import { type SendMailOptions } from 'nodemailer';
import { emailOfCalendarAddress, type ImipMethod } from '@davmesh/contracts';
import { InvalidCalendarObject, parseVcalendar, type ICAL, type IcalComponent } from '@davmesh/ical';
import { type ImipSettings } from './imip-settings';

type IcalProperty = InstanceType<typeof ICAL.Property>;
type IcalTime = InstanceType<typeof ICAL.Time>;

/** A message as the queue holds it, addresses bare. */
export interface ImipMailSource {
  from: string;
  to: string;
  method: ImipMethod;
  ical: string;
  messageId: string;
}

/**
 * Checks an iTIP message before it is queued: one VCALENDAR whose METHOD is `method`, with a
 * scheduling component. Throws an InvalidCalendarObject saying what is wrong.
 */
export function checkItipMessage(ical: string, method: ImipMethod): void {
  const root = parseVcalendar(ical);
  const written = String(root.getFirstPropertyValue('method') ?? '').toUpperCase();
  if (written !== method) throw new InvalidCalendarObject('valid-calendar-data', `METHOD is ${written || 'missing'}, not ${method}`);
  if (schedulingComponents(root).length === 0) throw new InvalidCalendarObject('valid-calendar-data', 'no VEVENT, VTODO, VJOURNAL or VFREEBUSY');
}

/**
 * The e-mail of one queued message, as RFC 6047 has it: a multipart/alternative of a plain-text
 * summary and the iTIP message as `text/calendar; method=…; charset=UTF-8`, and the same
 * message once more as an .ics attachment (what many clients and gateways look for).
 * From is the calendar user (the organizer, or the attendee of a REPLY); the server's address,
 * when configured, is the envelope sender and, if it differs from From, the Sender (RFC 5322
 * 3.6.2); in `sender` mode From is the server's address and Reply-To the calendar user.
 */
export function composeImipMail(message: ImipMailSource, settings: Pick<ImipSettings, 'sender' | 'fromHeader'>): SendMailOptions {
  const root = parseVcalendar(message.ical);
  const about = describe(root, message.from);
  const user = { name: about.names.get(message.from) ?? '', address: message.from };
  const headers: SendMailOptions =
    settings.fromHeader === 'sender' && settings.sender
      ? { from: { name: user.name || user.address, address: settings.sender }, replyTo: user }
      : { from: user, ...(settings.sender && settings.sender !== message.from ? { sender: settings.sender } : {}) };
  return {
    ...headers,
    to: { name: about.names.get(message.to) ?? '', address: message.to },
    subject: subjectOf(message.method, about),
    text: textOf(message.method, about, user.name || user.address),
    alternatives: [{ contentType: `text/calendar; method=${message.method}; charset=UTF-8`, content: message.ical }],
    attachments: [{ filename: attachmentName(message.method), content: message.ical, contentType: 'application/ics' }],
    messageId: message.messageId,
    envelope: { from: settings.sender ?? message.from, to: [message.to] },
  };
}

interface Description {
  summary: string;
  sequence: number;
  when?: string;
  location?: string;
  description?: string;
  organizer?: string;
  attendees: string[];
  /** Display names (CN) by address, of the organizer and the attendees. */
  names: Map<string, string>;
  /** The PARTSTAT the sender gives itself (a REPLY's attendee). */
  ownPartstat?: string;
}

function schedulingComponents(root: IcalComponent): IcalComponent[] {
  return root.getAllSubcomponents().filter((c) => ['vevent', 'vtodo', 'vjournal', 'vfreebusy'].includes(c.name));
}

function describe(root: IcalComponent, sender: string): Description {
  const components = schedulingComponents(root);
  const main = components.find((c) => !c.hasProperty('recurrence-id')) ?? components[0];
  const names = new Map<string, string>();
  const person = (property: IcalProperty) => {
    const address = emailOfCalendarAddress(String(property.getFirstValue() ?? ''));
    const name = String(property.getParameter('cn') ?? '').trim();
    if (address && name && !names.has(address)) names.set(address, name);
    return name && address ? `${name} <${address}>` : (address ?? name);
  };
  const text = (name: string) => {
    const value = main.getFirstPropertyValue(name);
    return value === null || value === undefined || String(value).trim() === '' ? undefined : String(value).trim();
  };
  const organizer = main.getFirstProperty('organizer');
  const attendees = main.getAllProperties('attendee');
  const own = attendees.find((a) => emailOfCalendarAddress(String(a.getFirstValue() ?? '')) === sender);
  return {
    summary: text('summary') ?? '(no title)',
    sequence: Number(main.getFirstPropertyValue('sequence') ?? 0) || 0,
    when: whenOf(main),
    location: text('location'),
    description: text('description'),
    organizer: organizer ? person(organizer) : undefined,
    attendees: attendees.map(person).filter(Boolean),
    names,
    ownPartstat: own ? String(own.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase() : undefined,
  };
}

function whenOf(component: IcalComponent): string | undefined {
  const start = component.getFirstProperty('dtstart') ?? component.getFirstProperty('due');
  if (!start) return undefined;
  const end = component.getFirstProperty('dtend');
  const shown = (property: IcalProperty) => {
    const time = property.getFirstValue() as IcalTime;
    const tzid = property.getParameter('tzid');
    const date = `${time.year}-${pad(time.month)}-${pad(time.day)}`;
    if (time.isDate) return date;
    const zone = typeof tzid === 'string' ? ` (${tzid})` : time.zone?.tzid === 'UTC' ? ' UTC' : '';
    return `${date} ${pad(time.hour)}:${pad(time.minute)}${zone}`;
  };
  try {
    return end ? `${shown(start)} – ${shown(end)}` : shown(start);
  } catch {
    // A value the summary cannot show still travels in the calendar part.
    return undefined;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

const REPLY_WORDS: Record<string, string> = { ACCEPTED: 'Accepted', DECLINED: 'Declined', TENTATIVE: 'Tentative', DELEGATED: 'Delegated' };

function subjectOf(method: ImipMethod, about: Description): string {
  switch (method) {
    case 'REQUEST':
      return `${about.sequence > 0 ? 'Updated invitation' : 'Invitation'}: ${about.summary}`;
    case 'CANCEL':
      return `Cancelled: ${about.summary}`;
    case 'REPLY':
      return `${REPLY_WORDS[about.ownPartstat ?? ''] ?? 'Reply'}: ${about.summary}`;
    case 'COUNTER':
      return `New time proposed: ${about.summary}`;
    case 'DECLINECOUNTER':
      return `Proposal declined: ${about.summary}`;
    case 'ADD':
      return `Added to: ${about.summary}`;
    case 'REFRESH':
      return `Update requested: ${about.summary}`;
    case 'PUBLISH':
      return about.summary;
  }
}

function textOf(method: ImipMethod, about: Description, senderName: string): string {
  const opening: Record<ImipMethod, string> = {
    REQUEST: `${senderName} invites you to "${about.summary}".`,
    CANCEL: `${senderName} has cancelled "${about.summary}".`,
    REPLY: `${senderName} answered "${about.summary}": ${(REPLY_WORDS[about.ownPartstat ?? ''] ?? about.ownPartstat ?? 'reply').toLowerCase()}.`,
    COUNTER: `${senderName} proposes a change to "${about.summary}".`,
    DECLINECOUNTER: `${senderName} declined the proposed change to "${about.summary}".`,
    ADD: `${senderName} added occurrences to "${about.summary}".`,
    REFRESH: `${senderName} asks for the latest version of "${about.summary}".`,
    PUBLISH: `${senderName} published "${about.summary}".`,
  };
  const lines = [opening[method], ''];
  if (about.when) lines.push(`When: ${about.when}`);
  if (about.location) lines.push(`Where: ${about.location}`);
  if (about.organizer) lines.push(`Organizer: ${about.organizer}`);
  if (about.attendees.length > 0 && method !== 'REPLY') lines.push(`Attendees: ${about.attendees.join(', ')}`);
  if (about.description) lines.push('', about.description);
  lines.push('', 'The calendar part of this message (text/calendar, also attached as an .ics file) lets a calendar program add it and answer.');
  return `${lines.join('\n')}\n`;
}

function attachmentName(method: ImipMethod): string {
  switch (method) {
    case 'REQUEST':
    case 'ADD':
    case 'PUBLISH':
      return 'invite.ics';
    case 'REPLY':
      return 'reply.ics';
    case 'CANCEL':
      return 'cancel.ics';
    case 'COUNTER':
    case 'DECLINECOUNTER':
    case 'REFRESH':
      return `${method.toLowerCase()}.ics`;
  }
}
