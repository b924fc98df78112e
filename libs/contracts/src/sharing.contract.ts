import { z } from 'zod';
import { sharingLimitsSchema, type CalendarComponent, type SharingLimits, type ShareStatus } from './calendar.contract';
import { type FolderRights } from './contacts.contract';
import { defineRequest } from './contract';
import { preconditionSchema, type Precondition } from './precondition';
import { calendarUserSchema as shareeAddress, type FreeBusyRecipient } from './scheduling.contract';

/**
 * calendarserver-sharing in the calendar service (docs/sharing.md): the owner of a calendar invites
 * users of their context, each invitation lands in the sharee's notification collection, and the
 * sharee accepts or declines it; replies land in the owner's.
 */

/** Whom a sharee href names: a `mailto:` address the directory may know, or a user a principal URL names. */
export type ShareeAddress = FreeBusyRecipient;

const userId = z.number().int().positive();
const folderId = z.number().int().positive();
const summary = z.string().max(1024);
/** Sharees one request may name, whatever davmesh.limits.shareesPerCalendar says. */
const MAX_SHAREES = 10_000;

export interface ShareeSet {
  sharee: ShareeAddress;
  rights: FolderRights;
  /** CS:summary, sent to the sharee with the invitation. */
  summary?: string;
}

export interface CalendarSharingChange {
  userId: number;
  folderId: number;
  /** CS:set: invite, or change the rights or summary of an invitation. */
  set: ShareeSet[];
  /** CS:remove: take the share back, whatever its state; naming nobody shared with is no error. */
  remove: { sharee: ShareeAddress }[];
  limits?: SharingLimits;
}

/** A CS:set the service would not apply: nobody of the owner's context has that address, or it is the owner's. */
export interface RefusedSharee {
  /** Its place in `set`. */
  index: number;
  reason: 'no-such-user' | 'owner';
}

/**
 * The owner's POST of CS:share to their calendar, all of it or nothing: when one CS:set names
 * nobody of the owner's context (or the owner), nothing is changed and the reply lists the refused
 * ones (`applied: false`). Otherwise each new or changed invitation is written to the sharee's
 * notification collection, an invitation taken back before it was answered is withdrawn from it
 * and an accepted share taken back is told (`invite-deleted`). `not-found` for a calendar the user
 * cannot see, `forbidden` with `need-privileges` for one they do not own (or the schedule inbox),
 * with `number-of-matches-within-limits` for more sharees than davmesh.limits.shareesPerCalendar
 * (in the request, or on the calendar afterwards).
 */
export const CalendarSharingShare = defineRequest<CalendarSharingChange, { applied: boolean; refused: RefusedSharee[] }>(
  'calendar.v1.sharing.share',
  z
    .object({
      userId,
      folderId,
      set: z.array(z.object({ sharee: shareeAddress, rights: z.enum(['read', 'write']), summary: summary.optional() }).strict()).max(MAX_SHAREES),
      remove: z.array(z.object({ sharee: shareeAddress }).strict()).max(MAX_SHAREES),
      limits: sharingLimitsSchema.optional(),
    })
    .strict(),
);

export interface CalendarSharingReply {
  userId: number;
  /** CS:in-reply-to: the invitation's CS:uid. */
  inviteUid: string;
  accept: boolean;
  /** CS:summary of the reply, passed on to the owner. */
  summary?: string;
  limits?: SharingLimits;
}

/**
 * The sharee's CS:invite-reply: accepting puts the calendar into their home (at its folder id),
 * declining takes it out; either way the owner's notification collection gets an `invite-reply`.
 * Answering again what was answered changes nothing. `forbidden` with `invalid-share` when the
 * user has no invitation of that uid, or declines a direct share (the operator's, which only the
 * operator or the owner takes back).
 */
export const CalendarSharingRespond = defineRequest<CalendarSharingReply, { folderId: number; status: ShareStatus }>(
  'calendar.v1.sharing.reply',
  z.object({ userId, inviteUid: z.string().min(1).max(128), accept: z.boolean(), summary: summary.optional(), limits: sharingLimitsSchema.optional() }).strict(),
);

/** A user as a notification names them, as the directory knew them when it was written. */
export interface NotifiedUser {
  userId: number;
  email: string | null;
  displayName: string;
}

/** CS:invite-notification: an invitation to a calendar, a change of it, or (`deleted`) its end. */
export interface InviteNotification {
  type: 'invite-notification';
  inviteUid: string;
  sharee: NotifiedUser;
  owner: NotifiedUser;
  folderId: number;
  status: ShareStatus | 'deleted';
  rights: FolderRights;
  summary: string | null;
  components: CalendarComponent[];
}

/** CS:invite-reply: a sharee's answer, in the owner's notification collection. */
export interface InviteReplyNotification {
  type: 'invite-reply';
  /** The invitation answered (CS:in-reply-to). */
  inviteUid: string;
  sharee: NotifiedUser;
  owner: NotifiedUser;
  folderId: number;
  status: 'accepted' | 'declined';
  summary: string | null;
}

export type SharingNotification = InviteNotification | InviteReplyNotification;
export type NotificationType = SharingNotification['type'];

export interface NotificationMeta {
  /** The resource name in the notification collection: `<uid>.xml`. */
  name: string;
  /** Bare. */
  etag: string;
  type: NotificationType;
  /** ISO: when it was written (CS:dtstamp). */
  lastModified: string;
}

export interface CalendarNotification extends NotificationMeta {
  content: SharingNotification;
}

const notificationName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\]+$/, 'a resource name has no slashes');

/**
 * The user's notification collection, one page by name after `after`: at most `limit` and what one
 * reply carries (`nextCursor` goes on). `revision` is the collection's, its sync token and CTag.
 */
export const CalendarNotificationsList = defineRequest<
  { userId: number; after?: string; limit: number },
  { revision: number; notifications: NotificationMeta[]; nextCursor?: string }
>(
  'calendar.v1.notifications.list',
  z.object({ userId, after: notificationName.optional(), limit: z.number().int().min(1).max(1000) }).strict(),
  { idempotent: true },
);

/** GET: the named notifications with their content, in the order asked; names the user has none of are `missing`. */
export const CalendarNotificationsGet = defineRequest<{ userId: number; names: string[] }, { notifications: CalendarNotification[]; missing: string[] }>(
  'calendar.v1.notifications.get',
  z.object({ userId, names: z.array(notificationName).min(1).max(200) }).strict(),
  { idempotent: true },
);

/** DELETE of a notification the user has handled; `not-found` for none of that name, `precondition-failed` when `precondition` does not hold. */
export const CalendarNotificationsDelete = defineRequest<{ userId: number; name: string; precondition?: Precondition }, { revision: number }>(
  'calendar.v1.notifications.delete',
  z.object({ userId, name: notificationName, precondition: preconditionSchema.optional() }).strict(),
);

export interface NotificationChanges {
  /** Where the client now is: its next sync token. */
  revision: number;
  changed: NotificationMeta[];
  removed: string[];
  truncated: boolean;
}

/**
 * sync-collection on the notification collection: what changed after `sinceRevision` (all when
 * absent), at most `limit` names and what one reply carries (then `truncated`). `not-found` with
 * `valid-sync-token` for a revision the collection never had or has forgotten (davmesh keeps the
 * names of the last 1,000 notifications removed).
 */
export const CalendarNotificationsChanges = defineRequest<{ userId: number; sinceRevision?: number; limit: number }, NotificationChanges>(
  'calendar.v1.notifications.changes',
  z.object({ userId, sinceRevision: z.number().int().nonnegative().optional(), limit: z.number().int().min(1).max(1000) }).strict(),
  { idempotent: true },
);
