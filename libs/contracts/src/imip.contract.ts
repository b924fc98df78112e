import { z } from 'zod';
import { defineEvent, defineRequest } from './contract';

/** iTIP methods (RFC 5546 1.4) an iMIP message may carry. */
export const IMIP_METHODS = ['PUBLISH', 'REQUEST', 'REPLY', 'ADD', 'CANCEL', 'REFRESH', 'COUNTER', 'DECLINECOUNTER'] as const;
export type ImipMethod = (typeof IMIP_METHODS)[number];

/**
 * Where an outgoing message stands (docs/scheduling-imip.md):
 * `queued` waits for its next attempt; `sent` the relay took it; `refused` the relay (or the
 * address itself) refused it for good; `failed` temporary failures until the queue gave up;
 * `not-configured` no relay was configured when its turn came, so nothing was sent.
 */
export const IMIP_STATES = ['queued', 'sent', 'refused', 'failed', 'not-configured'] as const;
export type ImipState = (typeof IMIP_STATES)[number];

/**
 * SCHEDULE-STATUS values (RFC 6638 3.2.9, codes of RFC 5546 3.6) the queue gives a message:
 * 1.0 pending (queued, retrying), 1.1 sent (handed to the relay; iMIP tells no more), 3.7 the
 * address is not one mail can reach (not an e-mail address, or refused by the relay as unknown),
 * 5.1 not delivered, may be sent again later (no relay configured, or the queue gave up on
 * temporary failures), 5.2 refused for good for another reason, 5.3 refused by the relay's
 * policy (5.7.x).
 */
export type ImipScheduleStatus = '1.0' | '1.1' | '3.7' | '5.1' | '5.2' | '5.3';

/**
 * What an outgoing message schedules: where its outcome is written as SCHEDULE-STATUS. The
 * sender's copy is the object of this UID in the owner's calendars (one per UID, RFC 6638
 * 3.2.4.1), found by UID so that a copy moved to another calendar is still found.
 */
export interface ImipReference {
  /** The user whose copy it is: the organizer of a REQUEST or CANCEL, the attendee of a REPLY. */
  ownerUserId: number;
  uid: string;
  /** The calendar user address (`mailto:…`) whose SCHEDULE-STATUS the message decides: an ATTENDEE, or the ORGANIZER for a REPLY. */
  recipient: string;
}

export interface ImipOutgoingMessage {
  /** The calendar user sending: the organizer of a REQUEST or CANCEL, the attendee of a REPLY (`mailto:` or a bare address). */
  from: string;
  /** One recipient's calendar user address. */
  to: string;
  method: ImipMethod;
  /** The iTIP message: a VCALENDAR whose METHOD is `method`. */
  ical: string;
  reference?: ImipReference;
}

export interface ImipEnqueued {
  messageId: string;
  state: ImipState;
  scheduleStatus: ImipScheduleStatus;
}

export interface ImipMessageStatus extends ImipEnqueued {
  created: string;
  /** When it is tried next; null once it is settled. */
  nextAttemptAt: string | null;
  attempts: number;
  from: string;
  to: string;
  method: ImipMethod;
  reference: ImipReference | null;
  /** The relay's last answer, or why nothing was sent. */
  lastResponse: string | null;
  /** When it reached a final state. */
  finishedAt: string | null;
}

/** The most the calendar part of an incoming mail may be: as a calendar object (CALDAV:max-resource-size). */
export const IMIP_MAX_ICAL_BYTES = 1024 * 1024;

const calendarAddress = z.string().min(1).max(320);
const reference = z
  .object({ ownerUserId: z.number().int().positive(), uid: z.string().min(1).max(IMIP_MAX_ICAL_BYTES), recipient: z.string().min(1).max(1024) })
  .strict();
const ical = z.string().min(1).max(IMIP_MAX_ICAL_BYTES);

export const ImipEnqueue = defineRequest<ImipOutgoingMessage, ImipEnqueued>(
  'calendar.v1.imip.enqueue',
  z.object({ from: calendarAddress, to: calendarAddress, method: z.enum(IMIP_METHODS), ical, reference: reference.optional() }).strict(),
);

export interface ImipOutgoingListRequest {
  state?: ImipState;
  /** Only the messages of this user's copies (`reference.ownerUserId`). */
  ownerUserId?: number;
  /** The last `messageId` of the page before. */
  after?: string;
  limit: number;
}

export const ImipOutgoingList = defineRequest<ImipOutgoingListRequest, { messages: ImipMessageStatus[]; nextCursor?: string }>(
  'calendar.v1.imip.outgoing.list',
  z
    .object({
      state: z.enum(IMIP_STATES).optional(),
      ownerUserId: z.number().int().positive().optional(),
      after: z.string().regex(/^[1-9][0-9]{0,18}$/).optional(),
      limit: z.number().int().min(1).max(500),
    })
    .strict(),
  { idempotent: true },
);

export interface ImipReceiveRequest {
  /** The message's From address (RFC 5322): the ORGANIZER of a REQUEST or CANCEL, the ATTENDEE of a REPLY. */
  from: string;
  /** The text/calendar part: a VCALENDAR with METHOD REQUEST, REPLY or CANCEL. */
  ical: string;
}

/** The iTIP methods incoming iMIP applies. */
export const IMIP_RECEIVED_METHODS = ['REQUEST', 'REPLY', 'CANCEL'] as const;

/**
 * What one recipient's calendar made of an incoming message, delivered as implicit scheduling
 * delivers between users: `applied` their copy was created or changed, and the message is in
 * their schedule inbox; `delivered` only the inbox has it (nothing to change on the copy: a CANCEL
 * of an event they do not have, a message older than their copy, RFC 5546 2.1.5); `unchanged`
 * their inbox held this very message already (the same mail twice): nothing stored; `refused`
 * their copy of that UID is another organizer's event: nothing stored.
 */
export interface ImipDelivery {
  userId: number;
  outcome: 'applied' | 'delivered' | 'unchanged' | 'refused';
  /** The user's copy after the message, where they have one. */
  copy?: { folderId: number; name: string; etag: string };
}

export interface ImipReceived {
  method: (typeof IMIP_RECEIVED_METHODS)[number];
  uid: string;
  /** One per recipient on this server: the organizer of a REPLY, the attendees of a REQUEST or CANCEL. */
  deliveries: ImipDelivery[];
}

/**
 * Why an incoming message is refused, as `details.condition`; nothing is stored.
 * `invalid-message` and `unsupported-method` (`bad-request`); `sender-mismatch`, `not-an-attendee`
 * and `valid-organizer` (`forbidden`); `unknown-organizer`, `unknown-event`, `unknown-recipient`
 * (`not-found`).
 */
export type ImipRefusal =
  | 'invalid-message'
  | 'unsupported-method'
  | 'sender-mismatch'
  | 'not-an-attendee'
  | 'valid-organizer'
  | 'unknown-organizer'
  | 'unknown-event'
  | 'unknown-recipient';

export const ImipReceive = defineRequest<ImipReceiveRequest, ImipReceived>(
  'calendar.v1.imip.receive',
  z.object({ from: calendarAddress, ical }).strict(),
);

export interface ImipOutgoingChangedEvent {
  messageId: string;
  state: ImipState;
  scheduleStatus: ImipScheduleStatus;
  attempts: number;
  method: ImipMethod;
  to: string;
  reference: ImipReference | null;
}

export const ImipOutgoingChanged = defineEvent<ImipOutgoingChangedEvent>(
  'calendar.v1.imip.events.outgoing-changed',
  z.object({
    messageId: z.string(),
    state: z.enum(IMIP_STATES),
    scheduleStatus: z.enum(['1.0', '1.1', '3.7', '5.1', '5.2', '5.3']),
    attempts: z.number().int().nonnegative(),
    method: z.enum(IMIP_METHODS),
    to: z.string(),
    reference: reference.nullable(),
  }),
);
