import { emailOfCalendarAddress, type ImipReplyRefusal } from '@davmesh/contracts';
import {
  DEFAULT_ICAL_LIMITS,
  ICAL,
  instancesIn,
  parseVcalendar,
  recurrenceBudget,
  toMs,
  withinRecurrenceBudget,
  type IcalComponent,
} from '@davmesh/ical';

type IcalProperty = InstanceType<typeof ICAL.Property>;
type IcalTime = InstanceType<typeof ICAL.Time>;

/** A reply refused for what it says (the condition is ImipReplyRefusal). */
export class ReplyRefused extends Error {
  constructor(
    readonly condition: ImipReplyRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'ReplyRefused';
  }
}

/** What an iTIP REPLY (RFC 5546 3.2.3) says, per component it answers. */
export interface ItipReply {
  uid: string;
  /** E-mail addresses, lower case. */
  organizer: string;
  attendee: string;
  answers: { recurrenceId?: IcalProperty; partstat: string; sequence: number }[];
}

const SCHEDULED = ['vevent', 'vtodo'];

/**
 * Reads a REPLY: METHOD:REPLY, VEVENTs or VTODOs of one UID, each with one ORGANIZER and exactly
 * one ATTENDEE (the same one throughout) carrying a PARTSTAT. Throws ReplyRefused (`not-a-reply`).
 */
export function readItipReply(ical: string): ItipReply {
  let root: IcalComponent;
  try {
    root = parseVcalendar(ical);
  } catch (error) {
    throw new ReplyRefused('not-a-reply', (error as Error).message);
  }
  const refuse = (message: string): never => {
    throw new ReplyRefused('not-a-reply', message);
  };
  if (String(root.getFirstPropertyValue('method') ?? '').toUpperCase() !== 'REPLY') refuse('METHOD is not REPLY');
  const components = root.getAllSubcomponents().filter((c) => SCHEDULED.includes(c.name));
  if (components.length === 0) refuse('no VEVENT or VTODO');
  const uids = new Set(components.map((c) => String(c.getFirstPropertyValue('uid') ?? '')));
  const uid = [...uids][0];
  if (uids.size !== 1 || uid.trim() === '') refuse('every component needs the same, non-empty UID');
  const addresses = (component: IcalComponent, name: string) => component.getAllProperties(name).map((p) => emailOfCalendarAddress(String(p.getFirstValue() ?? '')));
  const organizers = new Set(components.flatMap((c) => addresses(c, 'organizer')));
  const attendees = new Set(components.flatMap((c) => addresses(c, 'attendee')));
  if (organizers.size !== 1 || [...organizers][0] === undefined) refuse('a REPLY names one ORGANIZER, an e-mail address');
  if (attendees.size !== 1 || [...attendees][0] === undefined || components.some((c) => c.getAllProperties('attendee').length !== 1)) {
    refuse('a REPLY names exactly one ATTENDEE, an e-mail address');
  }
  return {
    uid,
    organizer: [...organizers][0]!,
    attendee: [...attendees][0]!,
    answers: components.map((c) => {
      const partstat = String(c.getFirstProperty('attendee')!.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase();
      if (!/^[A-Z][A-Z0-9-]{0,63}$/.test(partstat)) refuse(`"${partstat}" is not a PARTSTAT`);
      return { recurrenceId: c.getFirstProperty('recurrence-id') ?? undefined, partstat, sequence: Number(c.getFirstPropertyValue('sequence') ?? 0) || 0 };
    }),
  };
}

/**
 * The organizer's copy with the attendee's PARTSTAT of the reply and nothing else changed: on
 * the master, or on the instance its RECURRENCE-ID names (an override made from the master when
 * the copy has none and the instance's PARTSTAT differs). An answer to an older SEQUENCE than the
 * copy's is left out (RFC 5546 2.1.5). Throws ReplyRefused when the copy has no such instance
 * (`unknown-event`) or the attendee is not on it (`not-an-attendee`).
 *
 * Small and on its own on purpose: the scheduling wiring may put libs/itip's fuller applyReply here.
 */
export function applyReplyPartstat(stored: string, reply: ItipReply): { ical: string; changed: boolean; outdated: boolean } {
  const root = parseVcalendar(stored);
  const components = root.getAllSubcomponents().filter((c) => SCHEDULED.includes(c.name) && c.getFirstPropertyValue('uid') === reply.uid);
  const master = components.find((c) => !c.hasProperty('recurrence-id'));
  let changed = false;
  let outdated = false;
  for (const answer of reply.answers) {
    const rid = answer.recurrenceId;
    let target = rid ? components.find((c) => sameInstant(c.getFirstProperty('recurrence-id'), rid)) : master;
    const made = !target && rid && master ? overrideOf(root, master, rid) : undefined;
    target ??= made;
    if (!target) throw new ReplyRefused('unknown-event', rid ? `the organizer's copy has no instance ${rid.toICALString()}` : "the organizer's copy has no master component");
    if (answer.sequence < (Number(target.getFirstPropertyValue('sequence') ?? 0) || 0)) {
      outdated = true;
      continue;
    }
    const attendee = target.getAllProperties('attendee').find((a) => emailOfCalendarAddress(String(a.getFirstValue() ?? '')) === reply.attendee);
    if (!attendee) throw new ReplyRefused('not-an-attendee', `${reply.attendee} is not an attendee of ${reply.uid}`);
    if (String(attendee.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase() === answer.partstat) continue;
    attendee.setParameter('partstat', answer.partstat);
    if (made) {
      root.addSubcomponent(made);
      components.push(made);
    }
    changed = true;
  }
  return { ical: changed ? root.toString() : stored, changed, outdated };
}

function sameInstant(a: IcalProperty | null, b: IcalProperty): boolean {
  if (!a) return false;
  const [x, y] = [a.getFirstValue() as IcalTime, b.getFirstValue() as IcalTime];
  return x.isDate === y.isDate && toMs(x) === toMs(y);
}

/** The master's instance at `rid` as an override of its own, if the master has one there; not yet added. */
function overrideOf(root: IcalComponent, master: IcalComponent, rid: IcalProperty): IcalComponent | undefined {
  const at = toMs(rid.getFirstValue() as IcalTime);
  const slot = withinRecurrenceBudget(recurrenceBudget(DEFAULT_ICAL_LIMITS.recurrenceSteps, DEFAULT_ICAL_LIMITS.recurrenceMillis), () =>
    instancesIn(root, at, at + 1).find((i) => i.component === master && i.recurrenceId && toMs(i.recurrenceId) === at),
  );
  if (!slot) return undefined;
  const override = new ICAL.Component(structuredClone(master.toJSON()) as unknown[], root);
  for (const name of ['rrule', 'rdate', 'exdate', 'recurrence-id', 'dtstart', 'dtend']) override.removeAllProperties(name);
  const start = ICAL.Property.fromString(rid.toICALString().replace(/^RECURRENCE-ID/i, 'DTSTART'));
  override.addProperty(ICAL.Property.fromString(rid.toICALString()));
  override.addProperty(start);
  const masterEnd = master.getFirstProperty('dtend');
  if (masterEnd) {
    const length = (masterEnd.getFirstValue() as IcalTime).subtractDateTz(master.getFirstPropertyValue('dtstart') as IcalTime);
    const end = (start.getFirstValue() as IcalTime).clone();
    end.addDuration(length);
    const property = ICAL.Property.fromString(start.toICALString().replace(/^DTSTART/i, 'DTEND'));
    property.setValue(end);
    override.addProperty(property);
  }
  return override;
}
