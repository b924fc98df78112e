import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { DomainException, type CalendarComponent, type CalendarLimits, type User } from '@davmesh/contracts';
import { InvalidCalendarObject, readCalendarObject } from '@davmesh/ical';
import {
  applyCancel,
  applyReply,
  applyRequest,
  attendeeOutbox,
  attendeesOf,
  calendarAddress,
  calendarUserOf,
  DEFAULT_ITIP_LIMITS,
  isSchedulingObject,
  organizerOf,
  organizerOutbox,
  reissued,
  ScheduleStatus,
  SchedulingRefused,
  schedulingRoleOf,
  withAddressesReplaced,
  withScheduleStatus,
  type AppliedMessage,
  type CalendarUser,
  type ItipLimits,
  type ItipMessage,
  type ItipOptions,
} from '@davmesh/itip';
import { DEADLOCK_DETECTED, sqlStateOf, type Announce } from '@davmesh/storage';
import { announceChange, type CalendarTransaction } from '../calendar.unit-of-work';
import { etagOf } from '../objects/etag';
import { WriteRaced, type ObjectCopy } from '../objects/object.repository';
import { spanColumns } from '../objects/span-columns';
import { ExternalRecipients } from './external-recipients';
import { deliverToInbox } from './inbox-delivery';
import { DirectoryNeeded, SchedulingDirectory } from './scheduling-directory';

/** One write of a calendar object as its owner's scheduling sees it: the text before (none on create) and after (none on DELETE). */
export interface ObjectChange {
  /** The owner of the calendar written: scheduling acts as them, whoever writes (a grantee of a shared calendar). */
  ownerUserId: number;
  before?: string;
  after?: string;
  /** False for an attendee's DELETE with `Schedule-Reply: F` (RFC 6638 8.1): no REPLY. */
  reply?: boolean;
  /**
   * The object arrives from another owner's calendar (a MOVE). Where it lands as its organizer's
   * new object it is issued anew (`reissued`): when it left the organizer's calendars its attendees
   * got a CANCEL one SEQUENCE above it, which a REQUEST at its own SEQUENCE would not outrank.
   */
  arrives?: boolean;
  limits: ItipLimits;
}

export interface ScheduledChange {
  /** The text to store in place of `after`: `after` itself when scheduling changed nothing. */
  stored?: string;
  /** What is stored is a scheduling object resource of its owner, with a Schedule-Tag (RFC 6638 3.2.10). */
  scheduling: boolean;
}

/** Properties that make an object worth reading for scheduling; anything else is stored as it came. */
const PARTICIPANTS = /^(ORGANIZER|ATTENDEE)[;:]/im;
/**
 * Whether a text may make its write schedule (it names an organizer or attendee): such a write
 * reads and delivers with its folder's row held from the start.
 */
export function mayBeScheduling(text: string): boolean {
  return PARTICIPANTS.test(text);
}

/** Attempts of one write: a directory look-up per owner it names, and a deadlock or two. */
const ATTEMPTS = 5;

/** A new Schedule-Tag (bare): opaque, unique per change. */
export function newScheduleTag(): string {
  return randomBytes(12).toString('base64url');
}

/** The bounds of a write's scheduling: libs/itip's, with the requesting user's davmesh.limits.* where they apply. */
export function itipLimits(limits: CalendarLimits | undefined): ItipLimits {
  const defined = Object.fromEntries(Object.entries(limits ?? {}).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_ITIP_LIMITS, ...defined };
}

const refusedWith = (condition: string, message: string, extra: Record<string, unknown> = {}) => new DomainException('forbidden', message, { condition, ...extra });

/**
 * RFC 6638 implicit scheduling in the transaction of a write (docs/scheduling.md): the owner's
 * outbox (libs/itip) decides the messages and what is stored; each message goes to the users of
 * the owner's context it names (their copy, found by UID across their calendars, created in their
 * schedule-default calendar, and their inbox), the rest to `ExternalRecipients`; SCHEDULE-STATUS
 * says what became of each. Every folder changed has its revision raised and is announced, in the
 * same transaction as the write: an attendee reading through any edge after the organizer's PUT
 * was answered sees the invitation.
 */
@Injectable()
export class ImplicitScheduling {
  constructor(
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(ExternalRecipients) private readonly external: ExternalRecipients,
  ) {}

  /**
   * Runs a write (its own transaction) until the directory it needs is known: a write that finds
   * it must schedule for users the request has not looked up rolls back, they are looked up with
   * no transaction open, and it runs again; so does one PostgreSQL chose as a deadlock's victim
   * (two organizers inviting each other at once lock each other's calendars in opposite order),
   * and one that found its object changed under it (WriteRaced).
   * `prepare` may look up beforehand what a write of many objects will need (`learn`), so that it
   * does not roll back once for each.
   */
  async write<T>(run: (directory: SchedulingDirectory) => Promise<T>, prepare?: (directory: SchedulingDirectory) => Promise<void>): Promise<T> {
    const directory = new SchedulingDirectory(this.bus);
    await prepare?.(directory);
    for (let attempt = 1; ; attempt++) {
      try {
        return await run(directory);
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
        if (error instanceof DirectoryNeeded) await directory.lookUp(error);
        else if (!(error instanceof WriteRaced) && sqlStateOf(error) !== DEADLOCK_DETECTED) throw error;
      }
    }
  }

  /**
   * Asks the directory, with no transaction open, who the participants of these stored texts
   * are, as `schedule` of each would: a text that does not read within the bounds names nobody.
   */
  async learn(directory: SchedulingDirectory, ownerUserId: number, texts: Iterable<string>, limits: ItipLimits): Promise<void> {
    const addresses = new Set<string>();
    for (const text of texts) for (const address of participantsOf(text, limits)) addresses.add(address);
    await directory.learn(ownerUserId, addresses);
  }

  /**
   * The scheduling of one change: the messages it sends delivered, and what to store. Refused
   * (nothing stored, nothing sent: the caller's transaction rolls back) for an object libs/itip
   * refuses, and for an attendee's change RFC 6638 3.2.2.1 leaves to the organizer.
   */
  async schedule(tx: CalendarTransaction, announce: Announce, directory: SchedulingDirectory, change: ObjectChange): Promise<ScheduledChange> {
    try {
      return await this.scheduled(tx, announce, directory, change);
    } catch (error) {
      if (error instanceof SchedulingRefused || error instanceof InvalidCalendarObject) throw refusedWith(error.condition, error.message);
      throw error;
    }
  }

  /**
   * RFC 6638 3.2.4.1 CALDAV:unique-scheduling-object-resource: one scheduling object resource per
   * UID in a user's calendars, so scheduling finds the one copy it updates. `at` is the object
   * written; `leaving`, one that goes in the same write (the source of a move).
   */
  async requireUnique(tx: CalendarTransaction, ownerUserId: number, uid: string, at: { folderId: number; name: string }, leaving?: { folderId: number; name: string }): Promise<void> {
    const same = (copy: ObjectCopy, place?: { folderId: number; name: string }) => place !== undefined && copy.folderId === place.folderId && copy.name === place.name;
    const other = (await tx.objects.copiesByUid(ownerUserId, uid)).find((copy) => !same(copy, at) && !same(copy, leaving));
    if (other) {
      throw refusedWith('unique-scheduling-object-resource', `UID ${uid} is a scheduling object resource in another of your calendars`, { folderId: other.folderId, name: other.name });
    }
  }

  private async scheduled(tx: CalendarTransaction, announce: Announce, directory: SchedulingDirectory, change: ObjectChange): Promise<ScheduledChange> {
    const { after, limits } = change;
    const unscheduled: ScheduledChange = { stored: after, scheduling: false };
    // A stored text scheduling can no longer read (bounds lowered since) counts as absent.
    const before = change.before !== undefined && readable(change.before, limits) ? change.before : undefined;
    // Another event written where one was (a PUT or a MOVE with Overwrite replacing one UID by
    // another): the one goes as its DELETE would, the other comes as new.
    if (before !== undefined && after !== undefined && PARTICIPANTS.test(before) && readCalendarObject(before, limits).uid !== readCalendarObject(after, limits).uid) {
      await this.scheduled(tx, announce, directory, { ...change, before, after: undefined, reply: true });
      return this.scheduled(tx, announce, directory, { ...change, before: undefined });
    }
    // The text written is refused past the bounds (attendees, components, one organizer).
    const sides = [before, after].filter((text): text is string => text !== undefined && PARTICIPANTS.test(text) && isSchedulingObject(text, limits));
    if (sides.length === 0) return unscheduled;
    const addresses = [...new Set(sides.flatMap((text) => namedIn(text, limits)))];
    const owner = directory.require(change.ownerUserId, addresses);
    if (!owner) return unscheduled;
    // The owner under every address of theirs the object uses (their principal URL too), their mailto: first.
    const ownAddresses = [...(owner.email ? [`mailto:${owner.email}`] : []), ...directory.addressesOf(owner, addresses)];
    if (ownAddresses.length === 0) return unscheduled;
    const user = calendarUserOf(ownAddresses[0], ...ownAddresses.slice(1));
    const role = (before !== undefined ? schedulingRoleOf(before, user, limits) : undefined) ?? (after !== undefined ? schedulingRoleOf(after, user, limits) : undefined);
    if (role === undefined) return unscheduled;
    const options: ItipOptions = { limits, now: new Date() };
    let outbox: { messages: ItipMessage[]; stored?: string };
    if (role === 'organizer') outbox = organizerOutbox(before, change.arrives && before === undefined && after !== undefined ? reissued(after, options) : after, user, options);
    else if (after === undefined && change.reply === false) outbox = { messages: [], stored: undefined };
    else {
      const answer = attendeeOutbox(before, after, user, options);
      if (answer.disallowed.length > 0) {
        const what = answer.disallowed.map((d) => (d.instance ? `${d.property} of ${d.instance}` : d.property)).join(', ');
        throw refusedWith('allowed-attendee-scheduling-object-change', `an attendee may not change ${what}`);
      }
      outbox = answer;
    }
    const statuses = await this.deliver(tx, announce, directory, owner, addresses, outbox.messages, options);
    const stored = outbox.stored !== undefined && statuses.size > 0 ? withScheduleStatus(outbox.stored, statuses, options) : outbox.stored;
    return { stored, scheduling: stored !== undefined && schedulingRoleOf(stored, user, limits) !== undefined };
  }

  /**
   * Each message to each recipient, in order; the SCHEDULE-STATUS of each recipient (the last
   * message's). Users of the context get the message as written (principal URLs and all); mail
   * names the object's users by their e-mail addresses.
   */
  private async deliver(
    tx: CalendarTransaction,
    announce: Announce,
    directory: SchedulingDirectory,
    sender: User,
    addresses: readonly string[],
    messages: ItipMessage[],
    options: ItipOptions,
  ): Promise<Map<string, string>> {
    const statuses = new Map<string, string>();
    let mailAddresses: Map<string, string> | undefined;
    for (const message of messages) {
      const external: string[] = [];
      for (const recipient of message.recipients) {
        const addressee = directory.addressee(sender.contextId, recipient);
        if (addressee.kind === 'external') external.push(recipient);
        else if (addressee.kind === 'unknown') statuses.set(recipient, ScheduleStatus.InvalidCalendarUser);
        else if (addressee.user.userId === sender.userId) continue;
        else if (!addressee.user.enabled) statuses.set(recipient, ScheduleStatus.NoPrivilege);
        else statuses.set(recipient, await this.deliverTo(tx, announce, addressee.user, recipient, message, options));
      }
      if (external.length === 0) continue;
      mailAddresses ??= emailAddressesOf(directory, sender, addresses);
      const mailed = mailAddresses.size > 0 ? withAddressesReplaced(message, mailAddresses, options) : message;
      for (const recipient of external) {
        // RFC 6047: mail comes from an e-mail address; a sender known by none cannot send any.
        const status = isMailto(mailed.originator) ? await this.external.send(tx, { ...mailed, recipients: [recipient] }, sender) : ScheduleStatus.NoDelivery;
        statuses.set(recipient, status);
      }
    }
    return statuses;
  }

  /**
   * A message to a user of the context: applied to their copy (a REQUEST without one creates it),
   * then stored in their inbox. 5.3 when their copy refuses it (another organizer's event of that UID).
   * Incoming iMIP delivers the messages of people outside the same way (ImipReceiveService).
   */
  async deliverTo(tx: CalendarTransaction, announce: Announce, recipient: User, address: string, message: ItipMessage, options: ItipOptions): Promise<string> {
    const component = componentOf(message.ical);
    const [copy] = await tx.objects.copiesByUid(recipient.userId, message.uid);
    try {
      const applied = applyMessage(copy?.ical, message, calendarUserOf(address, ...(recipient.email ? [`mailto:${recipient.email}`] : [])), options);
      if (applied && (applied.changed || !copy)) {
        const placed = await this.storeCopy(tx, announce, recipient.userId, copy, applied, component, options.limits!);
        if (!placed) return ScheduleStatus.Refused;
      }
    } catch (error) {
      if (error instanceof SchedulingRefused || error instanceof InvalidCalendarObject) return ScheduleStatus.Refused;
      throw error;
    }
    await deliverToInbox(tx, announce, recipient.userId, { method: message.method, uid: message.uid, component, ical: message.ical });
    return ScheduleStatus.Delivered;
  }

  /**
   * The recipient's copy as the message left it, in its calendar or (new) in their default one
   * for its component: the Schedule-Tag kept unless the change is consequential (RFC 6638 3.2.10),
   * the folder's revision raised and announced. False when the user has no calendar for it.
   */
  private async storeCopy(
    tx: CalendarTransaction,
    announce: Announce,
    userId: number,
    copy: ObjectCopy | undefined,
    applied: AppliedMessage,
    component: CalendarComponent,
    limits: ItipLimits,
  ): Promise<boolean> {
    const summary = readCalendarObject(applied.ical, limits);
    const folderId = copy?.folderId ?? (await this.defaultCalendar(tx, userId, component));
    if (folderId === undefined) return false;
    const folder = (await tx.folders.access(folderId, userId, true))!;
    const name = copy?.name ?? (await freeName(tx, folderId, summary.uid));
    const scheduleTag = copy?.scheduleTag && !applied.consequential ? copy.scheduleTag : newScheduleTag();
    const revision = await tx.objects.upsertAtNextRevision(folderId, { name, uid: summary.uid, component: summary.component, etag: etagOf(applied.ical), ical: applied.ical, ...spanColumns(summary.span), scheduleTag });
    announceChange(announce, folderId, folder.ownerUserId, revision);
    return true;
  }

  /** CALDAV:schedule-default-calendar-URL's calendar for an event, else the user's first own calendar for the component (their defaults made if they have none). */
  private async defaultCalendar(tx: CalendarTransaction, userId: number, component: CalendarComponent): Promise<number | undefined> {
    let calendars = await tx.folders.ownCalendarsHolding(userId, component);
    if (calendars.length === 0) {
      await tx.folders.insertDefaults(userId);
      calendars = await tx.folders.ownCalendarsHolding(userId, component);
    }
    const chosen = component === 'VEVENT' ? (await tx.folders.inbox(userId))?.scheduleDefaultFolderId : undefined;
    return (calendars.find((c) => c.folderId === chosen) ?? calendars[0])?.folderId;
  }
}

/** The recipient's copy after the message; undefined for a CANCEL or REPLY with no copy to apply to (the inbox alone gets it). */
function applyMessage(copy: string | undefined, message: ItipMessage, recipient: CalendarUser, options: ItipOptions): AppliedMessage | undefined {
  if (message.method === 'REQUEST') return applyRequest(copy, message.ical, recipient, options);
  if (copy === undefined) return undefined;
  return message.method === 'CANCEL' ? applyCancel(copy, message.ical, options) : applyReply(copy, message.ical, options);
}

/** The object's addresses that name users of the sender's context by other than an e-mail address (their principal URLs), each with the user's mailto:. */
function emailAddressesOf(directory: SchedulingDirectory, sender: User, addresses: readonly string[]): Map<string, string> {
  const replacements = new Map<string, string>();
  for (const address of addresses) {
    if (isMailto(address)) continue;
    const addressee = directory.addressee(sender.contextId, address);
    if (addressee.kind === 'user' && addressee.user.email) replacements.set(address, `mailto:${addressee.user.email}`);
  }
  return replacements;
}

function isMailto(address: string): boolean {
  return calendarAddress(address).startsWith('mailto:');
}

/** The ORGANIZER and ATTENDEE addresses of a scheduling object's text; none for a text that is no scheduling object or does not read within the bounds. */
function participantsOf(text: string, limits: ItipLimits): string[] {
  return PARTICIPANTS.test(text) && readable(text, limits) && isSchedulingObject(text, limits) ? namedIn(text, limits) : [];
}

/** The ORGANIZER and ATTENDEE addresses of a text isSchedulingObject took. */
function namedIn(text: string, limits: ItipLimits): string[] {
  return [organizerOf(text, limits)!, ...attendeesOf(text, limits)];
}

function readable(text: string, limits: ItipLimits): boolean {
  try {
    if (PARTICIPANTS.test(text)) isSchedulingObject(text, limits);
    return true;
  } catch (error) {
    if (error instanceof SchedulingRefused || error instanceof InvalidCalendarObject) return false;
    throw error;
  }
}

function componentOf(ical: string): CalendarComponent {
  return (/^BEGIN:(VEVENT|VTODO|VJOURNAL)\s*$/im.exec(ical)?.[1].toUpperCase() as CalendarComponent | undefined) ?? 'VEVENT';
}

/** A name for a new copy: its UID where that makes a plain one, a fresh one where it does not or is taken. */
async function freeName(tx: CalendarTransaction, folderId: number, uid: string): Promise<string> {
  const byUid = `${uid}.ics`;
  if (/^[A-Za-z0-9@._-]{1,200}$/.test(uid) && !(await tx.objects.findForUpdate(folderId, byUid))) return byUid;
  return `${randomUUID()}.ics`;
}

