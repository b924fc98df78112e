import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import {
  DomainException,
  emailOfCalendarAddress,
  IMIP_RECEIVED_METHODS,
  UsersFindByEmail,
  type ImipDelivery,
  type ImipReceived,
  type ImipReceiveRequest,
  type ImipRefusal,
  type User,
} from '@davmesh/contracts';
import { InvalidCalendarObject, readSchedulingMessage } from '@davmesh/ical';
import { attendeesOf, calendarAddress, organizerOf, participantsOf, ScheduleStatus, SchedulingRefused, withAddressesReplaced, type ItipMessage, type ItipOptions } from '@davmesh/itip';
import { LOGGER, type Logger } from '@davmesh/logging';
import { type Announce } from '@davmesh/storage';
import { CalendarUnitOfWork, type CalendarTransaction } from '../calendar.unit-of-work';
import { etagOf } from '../objects/etag';
import { type ObjectCopy } from '../objects/object.repository';
import { ImplicitScheduling } from '../scheduling/implicit-scheduling';
import { type SchedulingDirectory } from '../scheduling/scheduling-directory';
import { readable, STORED_COPY_LIMITS } from './stored-copies';

const CODE_OF: Record<ImipRefusal, 'bad-request' | 'forbidden' | 'not-found'> = {
  'invalid-message': 'bad-request',
  'unsupported-method': 'bad-request',
  'sender-mismatch': 'forbidden',
  'not-an-attendee': 'forbidden',
  'valid-organizer': 'forbidden',
  'unknown-organizer': 'not-found',
  'unknown-event': 'not-found',
  'unknown-recipient': 'not-found',
};

const refused = (condition: ImipRefusal, message: string) => new DomainException(CODE_OF[condition], message, { condition });

/** find-by-email takes this many addresses at a time. */
const LOOKUP_BATCH = 1000;

type ReceivedMethod = ImipReceived['method'];

/** An incoming iTIP message, read and checked: who sends it (the organizer, or a REPLY's attendee) and whom it names. */
interface IncomingMessage {
  method: ReceivedMethod;
  uid: string;
  organizer: string;
  attendees: string[];
  originator: string;
  ical: string;
}

/**
 * An iMIP message from someone outside the server (RFC 6047), as the MTA pipe hands it over
 * (`davmesh imip receive`), delivered as implicit scheduling delivers between users
 * (ImplicitScheduling.deliverTo, docs/scheduling.md): an external organizer's REQUEST lands in
 * each invited user's default calendar (NEEDS-ACTION) and inbox, a CANCEL cancels their copy, an
 * external attendee's REPLY is applied to the organizer's copy; each a write like any other.
 * The From of the mail must be who sends the message (RFC 6047 2.2.1): the ORGANIZER of a
 * REQUEST or CANCEL, the ATTENDEE of a REPLY. Recipients are users of any context with an
 * address the message names (users of other contexts are outside each other's scheduling).
 * A refusal stores nothing.
 */
@Injectable()
export class ImipReceiveService {
  constructor(
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(CalendarUnitOfWork) private readonly unitOfWork: CalendarUnitOfWork,
    @Inject(ImplicitScheduling) private readonly scheduling: ImplicitScheduling,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async receive(request: ImipReceiveRequest): Promise<ImipReceived> {
    try {
      const received = await this.apply(request);
      const deliveries = received.deliveries.map((d) => `${d.userId}:${d.outcome}`);
      this.logger.info({ from: request.from, method: received.method, uid: received.uid, deliveries }, 'iMIP message received');
      return received;
    } catch (error) {
      if (error instanceof DomainException && typeof error.details?.condition === 'string') {
        this.logger.info({ from: request.from, condition: error.details.condition }, `iMIP message refused: ${error.message}`);
      }
      throw error;
    }
  }

  private async apply(request: ImipReceiveRequest): Promise<ImipReceived> {
    const message = readIncoming(request.ical);
    if (calendarAddress(request.from) !== message.originator) {
      const who = message.method === 'REPLY' ? 'its attendee' : 'its organizer';
      throw refused('sender-mismatch', `the ${message.method} is from ${who} ${message.originator}, but the mail is from ${request.from}`);
    }
    // The directory before the transaction: a transaction never waits on a request.
    const recipients = await this.usersWith(message.method === 'REPLY' ? [message.organizer] : message.attendees.filter((a) => a !== message.organizer));
    if (recipients.length === 0) {
      if (message.method === 'REPLY') throw refused('unknown-organizer', `no user has the organizer's address ${message.organizer}`);
      throw refused('unknown-recipient', `no attendee of this ${message.method} is a user here`);
    }
    return this.scheduling.write((directory) =>
      this.unitOfWork.transaction(async (tx, announce) => {
        const deliveries: ImipDelivery[] = [];
        if (message.method === 'REPLY') {
          const { user, organizer } = await this.organizerHolding(tx, directory, recipients, message);
          deliveries.push(await this.deliver(tx, announce, user, organizer === message.organizer ? message : asOrganizerWrote(message, organizer)));
        } else {
          for (const user of recipients) deliveries.push(await this.deliver(tx, announce, user, message));
        }
        if (deliveries.every((d) => d.outcome === 'refused')) {
          throw refused('valid-organizer', `every recipient has an event ${message.uid} of another organizer than ${message.organizer}`);
        }
        return { method: message.method, uid: message.uid, deliveries };
      }),
    );
  }

  /** The enabled users of any context with one of these addresses (`mailto:`), by user id. */
  private async usersWith(addresses: string[]): Promise<User[]> {
    const emails = [...new Set(addresses.flatMap((address) => emailOfCalendarAddress(address) ?? []))];
    const users: User[] = [];
    for (let start = 0; start < emails.length; start += LOOKUP_BATCH) {
      users.push(...(await this.bus.call(UsersFindByEmail, { emails: emails.slice(start, start + LOOKUP_BATCH) })));
    }
    return users.filter((user) => user.enabled).sort((a, b) => a.userId - b.userId);
  }

  /**
   * Of the users with the ORGANIZER's address, the one whose event the REPLY answers, who invited
   * its sender, and the ORGANIZER as their copy writes it: the mail named them by `mailto:`, their
   * copy may by their principal URL (the directory says whether it is theirs).
   */
  private async organizerHolding(tx: CalendarTransaction, directory: SchedulingDirectory, candidates: User[], reply: IncomingMessage): Promise<{ user: User; organizer: string }> {
    for (const user of candidates) {
      const [copy] = await tx.objects.copiesByUid(user.userId, reply.uid);
      const organizer = copy && readable(() => organizerOf(copy.ical, STORED_COPY_LIMITS));
      if (!organizer) continue;
      if (organizer !== reply.organizer) {
        directory.require(user.userId, [organizer]);
        if (directory.addressesOf(user, [organizer]).length === 0) continue;
      }
      if (!readable(() => attendeesOf(copy.ical, STORED_COPY_LIMITS))?.includes(reply.originator)) {
        throw refused('not-an-attendee', `${reply.originator} is not an attendee of ${reply.uid}`);
      }
      return { user, organizer };
    }
    throw refused('unknown-event', `${reply.organizer} organizes no event ${reply.uid}`);
  }

  /**
   * The message to one user, as implicit scheduling delivers it to a colleague; `unchanged`, and
   * nothing stored, when their inbox holds this very message already (an MTA delivering twice).
   */
  private async deliver(tx: CalendarTransaction, announce: Announce, user: User, message: IncomingMessage): Promise<ImipDelivery> {
    const copyOf = async () => (await tx.objects.copiesByUid(user.userId, message.uid))[0] as ObjectCopy | undefined;
    const before = await copyOf();
    const inbox = await tx.folders.inbox(user.userId);
    if (inbox && (await tx.objects.holdsEtag(inbox.folder.folderId, etagOf(message.ical)))) return delivery(user, 'unchanged', before);
    const address = calendarAddress(`mailto:${user.email}`);
    const itip: ItipMessage = { method: message.method, uid: message.uid, originator: message.originator, recipients: [address], ical: message.ical };
    const options: ItipOptions = { limits: STORED_COPY_LIMITS, now: new Date() };
    if ((await this.scheduling.deliverTo(tx, announce, user, address, itip, options)) === ScheduleStatus.Refused) return { userId: user.userId, outcome: 'refused' };
    const after = await copyOf();
    return delivery(user, after && after.etag !== before?.etag ? 'applied' : 'delivered', after);
  }
}

function delivery(user: User, outcome: ImipDelivery['outcome'], copy: ObjectCopy | undefined): ImipDelivery {
  return copy ? { userId: user.userId, outcome, copy: { folderId: copy.folderId, name: copy.name, etag: copy.etag } } : { userId: user.userId, outcome };
}

/** The message's method and participants, read as libs/itip applies it; refused (`invalid-message`, `unsupported-method`) otherwise. */
function readIncoming(ical: string): IncomingMessage {
  const invalid = (error: unknown): never => {
    if (error instanceof InvalidCalendarObject || error instanceof SchedulingRefused) throw refused('invalid-message', error.message);
    throw error;
  };
  let summary: ReturnType<typeof readSchedulingMessage>;
  try {
    summary = readSchedulingMessage(ical, STORED_COPY_LIMITS);
  } catch (error) {
    return invalid(error);
  }
  const method = summary.method as ReceivedMethod;
  if (!IMIP_RECEIVED_METHODS.includes(method)) {
    throw refused('unsupported-method', `METHOD:${summary.method} is not taken by mail: only ${IMIP_RECEIVED_METHODS.join(', ')}`);
  }
  if (summary.component === 'VJOURNAL') throw refused('invalid-message', 'a VJOURNAL is not scheduled');
  let participants: ReturnType<typeof participantsOf>;
  try {
    participants = participantsOf(ical, method, STORED_COPY_LIMITS);
  } catch (error) {
    return invalid(error);
  }
  const { uid, organizer, attendees } = participants;
  if (organizer === undefined) throw refused('invalid-message', `the ${method} has no ORGANIZER`);
  if (method === 'REPLY' && attendees.length !== 1) throw refused('invalid-message', `a REPLY names exactly one ATTENDEE, this one ${attendees.length}`);
  return { method, uid, organizer, attendees, originator: method === 'REPLY' ? attendees[0] : organizer, ical };
}

/** A REPLY with its ORGANIZER as the organizer's copy writes it, so applyReply takes it as about that event. */
function asOrganizerWrote(message: IncomingMessage, organizer: string): IncomingMessage {
  const itip: ItipMessage = { method: message.method, uid: message.uid, originator: message.originator, recipients: [organizer], ical: message.ical };
  const { ical } = withAddressesReplaced(itip, new Map([[message.organizer, organizer]]), { limits: STORED_COPY_LIMITS });
  return { ...message, organizer, ical };
}
