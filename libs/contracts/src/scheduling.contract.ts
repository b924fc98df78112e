import { z } from 'zod';
import { calendarLimitsSchema, deadPropertySchema as deadProperty, type BusyPeriod, type CalendarFolder, type CalendarLimits, type DeadProperty } from './calendar.contract';
import { defineRequest } from './contract';

/**
 * RFC 6638 scheduling in the calendar service: each user's schedule inbox (a folder of its own
 * kind, made on first use, never listed with the calendars) and free-busy of the users of a context.
 */

/** Collection names the calendar home keeps for the schedule inbox and outbox (`/caldav/inbox/`, `/caldav/outbox/`). */
export const SCHEDULE_INBOX_SEGMENT = 'inbox';
export const SCHEDULE_OUTBOX_SEGMENT = 'outbox';
/** The notification collection of calendarserver-sharing (`/caldav/notifications/`; sharing.contract.ts). */
export const NOTIFICATIONS_SEGMENT = 'notifications';
/** Names no calendar takes: the schedule boxes' and the notification collection's (calendarserver-sharing). */
export const RESERVED_CALENDAR_NAMES: readonly string[] = [SCHEDULE_INBOX_SEGMENT, SCHEDULE_OUTBOX_SEGMENT, NOTIFICATIONS_SEGMENT];

export interface ScheduleInbox {
  /** The inbox folder: its revision is its sync token; its dead properties are the inbox's. */
  inbox: CalendarFolder;
  /**
   * CALDAV:schedule-default-calendar-URL: the calendar chosen with `calendar.v1.inbox.update`
   * while it is still one of the user's own that holds VEVENT, else their first such calendar.
   */
  defaultCalendar: { folderId: number; collectionName: string } | null;
}

const userId = z.number().int().positive();

/** The user's schedule inbox, made on first use, with their default calendar for scheduling. */
export const CalendarInboxOpen = defineRequest<{ userId: number }, ScheduleInbox>('calendar.v1.inbox.open', z.object({ userId }).strict(), {
  idempotent: true,
});

export interface CalendarInboxUpdate {
  userId: number;
  /** The new default calendar: one of the user's own that holds VEVENT, else `forbidden` with `valid-schedule-default-calendar-URL`. */
  defaultCalendarId?: number;
  setDead?: DeadProperty[];
  removeDead?: { ns: string; name: string }[];
}

/** PROPPATCH of the inbox: the default calendar and dead properties, all or nothing. */
export const CalendarInboxUpdate = defineRequest<CalendarInboxUpdate, ScheduleInbox>(
  'calendar.v1.inbox.update',
  z
    .object({
      userId,
      defaultCalendarId: z.number().int().positive().optional(),
      setDead: z.array(deadProperty).max(100).optional(),
      removeDead: z.array(z.object({ ns: z.string().max(512), name: z.string().min(1).max(256) }).strict()).max(100).optional(),
    })
    .strict(),
);

export interface InboxDelivery {
  folderId: number;
  /** A new name (a UUID and `.ics`): an inbox holds every message, several of one UID included. */
  name: string;
  etag: string;
  revision: number;
}

/**
 * Stores an iTIP message (RFC 5546: METHOD, and VEVENT, VTODO or VJOURNAL of one UID) in the
 * user's schedule inbox, announced as a change of that folder; `forbidden` with
 * `valid-scheduling-message` or `valid-calendar-data` otherwise. For trusted callers (the
 * calendar service's own scheduling, tests): no edge path leads here.
 */
export const CalendarInboxDeliver = defineRequest<{ userId: number; ical: string; limits?: CalendarLimits }, InboxDelivery>(
  'calendar.v1.inbox.deliver',
  z.object({ userId, ical: z.string().min(1).max(1024 * 1024), limits: calendarLimitsSchema.optional() }).strict(),
);

/** A free-busy recipient (or a sharee): a calendar user address `mailto:` gives, or a user a principal URL names. */
export type FreeBusyRecipient = { email: string } | { userId: number };

/** FreeBusyRecipient's schema, for the contracts that name users by calendar user address. */
export const calendarUserSchema = z.union([z.object({ email: z.string().min(1).max(320) }).strict(), z.object({ userId }).strict()]);

/** Per recipient, in the order asked: their busy time, or `found: false` for no user of the requester's context. */
export type FreeBusyAnswer = { found: false } | { found: true; userId: number; busy: BusyPeriod[] };

/**
 * Free-busy of other users of the requester's context (RFC 6638 schedule outbox POST): the busy
 * time of each recipient's own calendars that hold VEVENT, merged as `calendar.v1.freebusy` merges
 * one. A recipient of another context, disabled or unknown is `found: false`, nothing said of them.
 * The answers come in the order asked, as many as one reply carries ([Reply size]): ask again for the rest.
 */
export const CalendarScheduleFreeBusy = defineRequest<
  { userId: number; start: string; end: string; recipients: FreeBusyRecipient[]; limits?: CalendarLimits },
  { answers: FreeBusyAnswer[] }
>(
  'calendar.v1.schedule.freebusy',
  z
    .object({
      userId,
      start: z.iso.datetime(),
      end: z.iso.datetime(),
      recipients: z
        .array(calendarUserSchema)
        .min(1)
        .max(1000),
      limits: calendarLimitsSchema.optional(),
    })
    .strict(),
  { idempotent: true },
);
