import { z } from 'zod';
import { CONFIG_KEYS } from './config-keys';
import { type FolderRights } from './contacts.contract';
import { defineEvent, defineRequest } from './contract';
import { preconditionSchema, type Precondition } from './precondition';

export type CalendarComponent = 'VEVENT' | 'VTODO' | 'VJOURNAL';

/** CALDAV:min-date-time and max-date-time: the edge advertises them, the service enforces them on write. */
export const CALENDAR_MIN_DATE_TIME = '1900-01-01T00:00:00Z';
export const CALENDAR_MAX_DATE_TIME = '2099-12-31T23:59:59Z';

export interface DeadProperty {
  ns: string;
  name: string;
  /**
   * The property element as written (RFC 4918 4.3): its prefix, attributes, xml:lang in scope and
   * mixed content, declaring the namespaces in scope itself; stored and returned as given.
   */
  xml: string;
}

export interface CalendarFolder {
  folderId: number;
  ownerUserId: number;
  /** The collection's path segment: the client's name for MKCALENDAR, the folder id otherwise. */
  collectionName: string;
  displayName: string;
  description: string | null;
  color: string | null;
  order: number | null;
  timezone: string | null;
  components: CalendarComponent[];
  /** Current sync revision; the sync token and getctag derive from it. */
  revision: number;
  /** The asking user's rights: `write` on their own folders, the grant on one shared with them. */
  rights: FolderRights;
  deadProperties: DeadProperty[];
  /**
   * Who the folder is shared with (calendarserver-sharing's CS:invite, docs/sharing.md): on the
   * owner's folder every sharee, invitations not yet answered and declined ones included; on a
   * folder shared with the asking user, their own share only. Absent when there is none.
   */
  sharees?: CalendarSharee[];
}

/**
 * Where a share stands: `invited` (an invitation awaits the sharee's answer), `accepted` (the
 * calendar is in their home and they may use it) or `declined`. Only accepted shares grant access.
 */
export type ShareStatus = 'invited' | 'accepted' | 'declined';

/** One user a calendar is shared with. */
export interface CalendarSharee {
  userId: number;
  rights: FolderRights;
  status: ShareStatus;
  /** CS:uid of the invitation; the sharee's notification of it is `<inviteUid>.xml`. */
  inviteUid: string;
  /** CS:summary the owner sent with the invitation. */
  summary: string | null;
  /**
   * Granted at once by the operator (`davmesh folder share`) or `calendar.v1.folders.share`, with
   * no invitation: the sharee cannot decline it or remove it from their home.
   */
  direct: boolean;
}

/**
 * The folder's path segment in this user's calendar home: the owner's collection name for their own
 * folders, the folder id for one shared with them (names are unique per owner only).
 */
export function calendarSegment(folder: Pick<CalendarFolder, 'folderId' | 'ownerUserId' | 'collectionName'>, userId: number): string {
  return folder.ownerUserId === userId ? folder.collectionName : String(folder.folderId);
}

export interface CalendarObjectMeta {
  name: string;
  etag: string;
  size: number;
  lastModified: string;
  component: CalendarComponent;
  /**
   * RFC 6638 3.2.10's Schedule-Tag (bare) of a scheduling object resource: it changes with the
   * owner's own writes and with consequential scheduling changes, not with attendees' replies.
   * Absent on objects the server does not schedule.
   */
  scheduleTag?: string;
}

export interface CalendarObject extends CalendarObjectMeta {
  uid: string;
  ical: string;
}

const userId = z.number().int().positive();
const folderId = z.number().int().positive();
const objectName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\]+$/, 'a resource name has no slashes')
  .refine((n) => n !== '.' && n !== '..', 'not a resource name');
const component = z.enum(['VEVENT', 'VTODO', 'VJOURNAL']);
const deadProperty = z.object({ ns: z.string().max(512), name: z.string().min(1).max(256), xml: z.string().max(65_536) }).strict();
const folderProps = z
  .object({
    displayName: z.string().max(1024).optional(),
    description: z.string().max(65_536).nullable().optional(),
    color: z.string().max(32).nullable().optional(),
    order: z.number().int().nullable().optional(),
    timezone: z.string().max(65_536).nullable().optional(),
  })
  .strict();

/** The user's calendars: their own (default calendar and tasks folders created on first use) and those shared with them. */
export const CalendarFoldersList = defineRequest<{ userId: number }, CalendarFolder[]>(
  'calendar.v1.folders.list',
  z.object({ userId }).strict(),
  { idempotent: true },
);

export interface CalendarFolderCreate {
  userId: number;
  collectionName: string;
  components?: CalendarComponent[];
  props?: z.infer<typeof folderProps>;
  dead?: DeadProperty[];
}

/** MKCALENDAR: `conflict` when the user has a collection of that name, or the name is digits only (reserved: shared calendars are addressed by their folder id). */
export const CalendarFoldersCreate = defineRequest<CalendarFolderCreate, CalendarFolder>(
  'calendar.v1.folders.create',
  z
    .object({
      userId,
      collectionName: objectName,
      components: z.array(component).min(1).max(3).optional(),
      props: folderProps.optional(),
      dead: z.array(deadProperty).max(100).optional(),
    })
    .strict(),
);

export interface CalendarFolderUpdate {
  userId: number;
  folderId: number;
  props?: z.infer<typeof folderProps>;
  setDead?: DeadProperty[];
  removeDead?: { ns: string; name: string }[];
}

/** PROPPATCH: all changes or none. */
export const CalendarFoldersUpdate = defineRequest<CalendarFolderUpdate, CalendarFolder>(
  'calendar.v1.folders.update',
  z
    .object({
      userId,
      folderId,
      props: folderProps.optional(),
      setDead: z.array(deadProperty).max(100).optional(),
      removeDead: z.array(z.object({ ns: z.string().max(512), name: z.string().min(1).max(256) }).strict()).max(100).optional(),
    })
    .strict(),
);

/**
 * davmesh.limits.shareesPerCalendar and notificationsPerUser as they hold for the requester: both
 * are set at most per context, and a calendar is shared only within its owner's context, so they
 * hold for everyone a sharing request touches. Defaults when absent (the operator's CLI).
 */
export interface SharingLimits {
  shareesPerCalendar: number;
  notificationsPerUser: number;
}

export const DEFAULT_SHARING_LIMITS: SharingLimits = {
  shareesPerCalendar: CONFIG_KEYS['davmesh.limits.shareesPerCalendar'].default,
  notificationsPerUser: CONFIG_KEYS['davmesh.limits.notificationsPerUser'].default,
};

export const sharingLimitsSchema = z.object({ shareesPerCalendar: z.number().int().min(1).max(10_000), notificationsPerUser: z.number().int().min(10).max(100_000) }).strict();

export interface CalendarShareGrant {
  folderId: number;
  ownerUserId: number;
  granteeUserId: number;
  rights: FolderRights | 'none';
}

const rights = z.enum(['read', 'write', 'none']);

/**
 * The owner shares a folder with another user of their context (`read` or `write`), or takes the
 * grant back (`none`). The share is direct: accepted at once, no invitation (calendarserver-sharing's
 * invitations are `calendar.v1.sharing.share`). `forbidden` (`need-privileges`) for a folder shared
 * with the caller, `not-found` for an unknown folder or a grantee outside the owner's context,
 * `bad-request` for the owner.
 */
export const CalendarFoldersShare = defineRequest<
  { userId: number; folderId: number; granteeUserId: number; rights: FolderRights | 'none' },
  CalendarShareGrant
>('calendar.v1.folders.share', z.object({ userId, folderId, granteeUserId: userId, rights }).strict());

/**
 * The operator's share (CLI `davmesh folder share|unshare --type calendar`): as `calendar.v1.folders.share`,
 * made as the folder's owner, whom the service finds from the folder id; the owner must belong to
 * `contextId` (else `not-found`), and so must the grantee.
 */
export const CalendarFoldersAdminShare = defineRequest<
  { contextId: number; folderId: number; granteeUserId: number; rights: FolderRights | 'none' },
  CalendarShareGrant
>(
  'calendar.v1.admin.folders.share',
  z.object({ contextId: z.number().int().positive(), folderId, granteeUserId: userId, rights }).strict(),
);

export interface TimeWindow {
  /** ISO instants; objects with no occurrence overlapping [start, end) are left out. */
  start: string;
  end: string;
}

const window = z.object({ start: z.iso.datetime(), end: z.iso.datetime() }).strict();

export interface CalendarObjectsPage {
  objects: CalendarObjectMeta[];
  /** Pass as `after` to read on; absent on the last page. */
  nextCursor?: string;
}

/** PROPFIND Depth 1: one page of the folder's objects by name, within the window when given, at most `limit` and what one reply carries. */
export const CalendarObjectsList = defineRequest<
  { userId: number; folderId: number; window?: TimeWindow; after?: string; limit: number },
  CalendarObjectsPage
>(
  'calendar.v1.objects.list',
  z.object({ userId, folderId, window: window.optional(), after: z.string().max(255).optional(), limit: z.number().int().min(1).max(1000) }).strict(),
  { idempotent: true },
);

/** RFC 4791 9.6.4 prop: a property by name; `novalue` returns its name and parameters, not its value. */
export interface CalendarDataProp {
  name: string;
  novalue?: boolean;
}

/**
 * RFC 4791 9.6.1 comp: which properties and subcomponents of a component to return; `'all'` is
 * allprop or allcomp, an absent list selects none. A comp with neither (`<C:comp name="VTIMEZONE"/>`)
 * returns the whole component, as the example of RFC 4791 7.8.1 shows.
 */
export interface CalendarDataComp {
  name: string;
  props?: 'all' | CalendarDataProp[];
  comps?: 'all' | CalendarDataComp[];
}

/** How deeply comps of a calendar-data selection nest (VCALENDAR is 1), and how many names it may hold in all. */
export const CALENDAR_DATA_MAX_DEPTH = 4;
export const CALENDAR_DATA_MAX_NAMES = 256;

/** Options of calendar-data (RFC 4791 9.6), for multiget and query alike. */
export interface CalendarDataShape {
  /** Recurring objects come back as their instances in this range, in UTC. */
  expand?: { start: string; end: string };
  /** Overrides outside the range are left out. */
  limitRecurrenceSet?: { start: string; end: string };
  /** Only these parts of each object (after expand or limit-recurrence-set); its top comp is VCALENDAR. */
  select?: CalendarDataComp;
}

const range = z.object({ start: z.iso.datetime(), end: z.iso.datetime() }).strict();

/** The davmesh.limits.* that bound one request's iCalendar work, as they hold for the user; defaults when absent. */
export interface CalendarLimits {
  /** CALDAV:max-instances. */
  maxInstances: number;
  /** Recurrence-rule steps the whole request may take. */
  recurrenceSteps: number;
  /** Milliseconds of recurrence-rule work the whole request may take; absent (an older edge), the default. */
  recurrenceMillis?: number;
  parameterLength: number;
  propertyLength: number;
  /** CALDAV:max-attendees-per-instance, which scheduling enforces; absent (an older edge), the default. */
  maxAttendeesPerInstance?: number;
  /** davmesh.limits.calendarDeleteMeetings: the meetings one DELETE of a calendar schedules; absent (an older edge), the default. */
  calendarDeleteMeetings?: number;
}

const calendarLimits = z
  .object({
    maxInstances: z.number().int().min(1).max(10_000_000),
    recurrenceSteps: z.number().int().min(1).max(1_000_000_000),
    recurrenceMillis: z.number().int().min(1).max(600_000).optional(),
    parameterLength: z.number().int().min(1).max(65_536),
    propertyLength: z.number().int().min(1).max(16_777_216),
    maxAttendeesPerInstance: z.number().int().min(1).max(100_000).optional(),
    calendarDeleteMeetings: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

/** The schemas of CalendarLimits and of a dead property, for the contracts of other files that carry them. */
export const calendarLimitsSchema = calendarLimits;
export const deadPropertySchema = deadProperty;

/**
 * How long a caller waits for calendar.v1.folders.delete: the meetings of the calendar are
 * scheduled in its transaction (davmesh.limits.calendarDeleteMeetings of them at most), which
 * takes longer than a request's usual 5 seconds (docs/scheduling.md, Deleting a calendar).
 */
export const CALENDAR_DELETE_TIMEOUT_MS = 60_000;

/**
 * DELETE of a calendar. Its owner deletes it with everything in it, and each sharee is told
 * (calendarserver-sharing: an open invitation withdrawn, an accepted one `invite-deleted`). Its
 * meetings are scheduled as a DELETE of each would be (cancelled for the attendees of the
 * owner's, declined for the owner's invitations) in the same transaction, at most
 * `limits.calendarDeleteMeetings` of them: a calendar with more is refused (`forbidden`,
 * `max-scheduling-objects`), nothing deleted or sent. A sharee removes it from their home, which
 * declines the share (the owner gets an `invite-reply`); a direct share (the operator's) is
 * `forbidden` with `need-privileges` for them. Callers wait CALENDAR_DELETE_TIMEOUT_MS.
 */
export const CalendarFoldersDelete = defineRequest<{ userId: number; folderId: number; limits?: CalendarLimits; sharing?: SharingLimits }, { deleted: true }>(
  'calendar.v1.folders.delete',
  z.object({ userId, folderId, limits: calendarLimits.optional(), sharing: sharingLimitsSchema.optional() }).strict(),
);

const icalName = z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'an iCalendar name');
const dataProp = z.object({ name: icalName, novalue: z.boolean().optional() }).strict();

/** A comp with at most `depth` levels of comps, itself included. */
function dataComp(depth: number): z.ZodType<CalendarDataComp> {
  const comps = depth > 1 ? z.union([z.literal('all'), z.array(dataComp(depth - 1)).max(CALENDAR_DATA_MAX_NAMES)]) : z.literal('all');
  return z.object({ name: icalName, props: z.union([z.literal('all'), z.array(dataProp).max(CALENDAR_DATA_MAX_NAMES)]).optional(), comps: comps.optional() }).strict();
}

/** The names a selection holds: its comps and props, all levels. */
export function calendarDataNames(comp: CalendarDataComp): number {
  const props = Array.isArray(comp.props) ? comp.props.length : 0;
  const comps = Array.isArray(comp.comps) ? comp.comps.reduce((sum, c) => sum + calendarDataNames(c), 0) : 0;
  return 1 + props + comps;
}

const select = dataComp(CALENDAR_DATA_MAX_DEPTH)
  .refine((c) => c.name.toUpperCase() === 'VCALENDAR', 'the top comp is VCALENDAR')
  .refine((c) => calendarDataNames(c) <= CALENDAR_DATA_MAX_NAMES, `at most ${CALENDAR_DATA_MAX_NAMES} names`);

export interface CalendarObjectsFound {
  objects: CalendarObject[];
  /** Names asked for that the calendar does not hold. */
  missing: string[];
  /** Names not answered for want of room in this reply (docs/bus-api.md, Reply size): ask again for them. */
  unsent?: string[];
}

/**
 * calendar-multiget and GET: the named objects (shaped by calendar-data options), in the order
 * asked, as many as one reply carries; names not found are listed as missing, names left for
 * the next reply as unsent. One object too big for a reply alone is `too-large`.
 */
export const CalendarObjectsGet = defineRequest<
  { userId: number; folderId: number; names: string[]; limits?: CalendarLimits } & CalendarDataShape,
  CalendarObjectsFound
>(
  'calendar.v1.objects.get',
  z
    .object({
      userId,
      folderId,
      names: z.array(objectName).min(1).max(200),
      limits: calendarLimits.optional(),
      expand: range.optional(),
      limitRecurrenceSet: range.optional(),
      select: select.optional(),
    })
    .strict(),
  { idempotent: true },
);

export interface CalendarObjectPut {
  limits?: CalendarLimits;
  userId: number;
  folderId: number;
  name: string;
  ical: string;
  /** Store only if these conditions hold for the object of this name (decided in the writer's transaction). */
  precondition?: Precondition;
  /** RFC 6638 If-Schedule-Tag-Match (bare): store only if the object of this name has this Schedule-Tag. */
  ifScheduleTagMatch?: string;
}

/** A calendar object as a write stored it. */
export interface CalendarObjectStored {
  /** The ETag (bare) of what is stored. */
  etag: string;
  created: boolean;
  /**
   * False when what is stored differs from the body sent (implicit scheduling kept the attendees'
   * answers, set SCHEDULE-STATUS, raised SEQUENCE): RFC 4791 5.3.4, the answer carries no ETag,
   * so the client reads the object again.
   */
  asSent: boolean;
  /** The Schedule-Tag (bare) of a scheduling object resource (RFC 6638 3.2.10); absent for others. */
  scheduleTag?: string;
}

/** If-Schedule-Tag-Match, as a put, delete or move carries it. */
const scheduleTag = z.string().min(1).max(256);

/**
 * PUT. Refusals carry `details.condition`: `valid-calendar-data`,
 * `valid-calendar-object-resource`, `supported-calendar-component`, `max-resource-size`,
 * `min-date-time`, `max-date-time`, `max-instances` (forbidden); `no-uid-conflict` with `details.name` of the holder (conflict); a failed
 * precondition is `precondition-failed`. Nothing is stored on refusal. A scheduling object
 * resource is scheduled in the same transaction (docs/scheduling.md): further refusals
 * `max-attendees-per-instance`, `same-organizer-in-all-components`, `valid-organizer`,
 * `max-scheduling-messages`, `allowed-attendee-scheduling-object-change` and
 * `unique-scheduling-object-resource` (with `details.folderId` and `details.name` of the copy
 * the owner has elsewhere), all `forbidden`.
 */
export const CalendarObjectsPut = defineRequest<CalendarObjectPut, CalendarObjectStored & { revision: number }>(
  'calendar.v1.objects.put',
  z
    .object({
      userId,
      folderId,
      name: objectName,
      ical: z.string().max(2 * 1024 * 1024),
      precondition: preconditionSchema.optional(),
      ifScheduleTagMatch: scheduleTag.optional(),
      limits: calendarLimits.optional(),
    })
    .strict(),
);

export interface CalendarObjectDelete {
  userId: number;
  folderId: number;
  name: string;
  precondition?: Precondition;
  ifScheduleTagMatch?: string;
  /** RFC 6638 8.1 `Schedule-Reply: F`: an attendee deleting their copy sends the organizer no reply. */
  scheduleReply?: boolean;
  limits?: CalendarLimits;
}

/** DELETE; deleting a scheduling object resource cancels (organizer) or declines (attendee) in the same transaction. */
export const CalendarObjectsDelete = defineRequest<CalendarObjectDelete, { revision: number }>(
  'calendar.v1.objects.delete',
  z
    .object({
      userId,
      folderId,
      name: objectName,
      precondition: preconditionSchema.optional(),
      ifScheduleTagMatch: scheduleTag.optional(),
      scheduleReply: z.boolean().optional(),
      limits: calendarLimits.optional(),
    })
    .strict(),
);

export interface CalendarObjectMove {
  userId: number;
  folderId: number;
  name: string;
  toFolderId: number;
  toName: string;
  overwrite: boolean;
  precondition?: Precondition;
  ifScheduleTagMatch?: string;
  limits?: CalendarLimits;
}

/**
 * MOVE between the user's calendars (or a rename within one). Between calendars of two owners
 * (a shared one), a scheduling object resource leaves the one owner's (as a DELETE would) and
 * arrives in the other's (as a PUT would; arriving in its organizer's calendars it is issued
 * anew, its SEQUENCE raised above the cancellation sent when it left). An object `overwrite`
 * replaces with another event (another UID) is scheduled as its DELETE.
 */
export const CalendarObjectsMove = defineRequest<CalendarObjectMove, CalendarObjectStored>(
  'calendar.v1.objects.move',
  z
    .object({
      userId,
      folderId,
      name: objectName,
      toFolderId: folderId,
      toName: objectName,
      overwrite: z.boolean(),
      precondition: preconditionSchema.optional(),
      ifScheduleTagMatch: scheduleTag.optional(),
      limits: calendarLimits.optional(),
    })
    .strict(),
);

export interface CalendarChanges {
  /** The revision the client is now at: its next sync token. */
  revision: number;
  changed: CalendarObjectMeta[];
  removed: string[];
  /** More changes remain: ask again from `revision`. */
  truncated: boolean;
}

/**
 * sync-collection: what changed after `sinceRevision` (everything when absent), in
 * commit order, at most `limit` names and what one reply carries (then `truncated`). With `window`, a changed object without an
 * occurrence in it is reported removed (left out of an initial sync): the client
 * keeps exactly the objects of its window. `not-found` with `details.condition =
 * 'valid-sync-token'` for a revision the folder never had.
 */
export const CalendarSyncChanges = defineRequest<
  { userId: number; folderId: number; sinceRevision?: number; limit: number; window?: TimeWindow },
  CalendarChanges
>(
  'calendar.v1.sync.changes',
  z
    .object({
      userId,
      folderId,
      sinceRevision: z.number().int().nonnegative().optional(),
      limit: z.number().int().min(1).max(1000),
      window: window.optional(),
    })
    .strict(),
  { idempotent: true },
);

export interface CalendarFolderChangedEvent {
  folderId: number;
  ownerUserId: number;
  revision: number;
  /**
   * Set when only the folder's objects changed (written, deleted, moved): its own fields, its
   * rights and its shares are as they were, so a listing of folders that shows no revision holds.
   */
  objectsOnly?: true;
}

export const CalendarFolderChanged = defineEvent<CalendarFolderChangedEvent>(
  'calendar.v1.events.folder-changed',
  z.object({ folderId, ownerUserId: userId, revision: z.number().int().nonnegative(), objectsOnly: z.literal(true).optional() }),
);

/** RFC 4791 9.7 filters, as JSON. Times are ISO instants; an absent bound is open. */
export interface TimeRange {
  start?: string;
  end?: string;
}

/** Same shape as CardDAV's text-match; RFC 4791 text-match is always `contains`. */
export interface CalendarTextMatch {
  value: string;
  collation: 'i;ascii-casemap' | 'i;octet' | 'i;unicode-casemap';
  negate: boolean;
  matchType: 'contains' | 'equals' | 'starts-with' | 'ends-with';
}

export interface CalendarParamFilter {
  name: string;
  isNotDefined?: boolean;
  textMatch?: CalendarTextMatch;
}

export interface CalendarPropFilter {
  name: string;
  isNotDefined?: boolean;
  timeRange?: TimeRange;
  textMatch?: CalendarTextMatch;
  paramFilters?: CalendarParamFilter[];
}

export interface CompFilter {
  name: string;
  isNotDefined?: boolean;
  timeRange?: TimeRange;
  propFilters?: CalendarPropFilter[];
  compFilters?: CompFilter[];
}

const timeRange = z.object({ start: z.iso.datetime().optional(), end: z.iso.datetime().optional() }).strict();
const textMatch = z
  .object({
    value: z.string().max(4096),
    collation: z.enum(['i;ascii-casemap', 'i;octet', 'i;unicode-casemap']),
    negate: z.boolean(),
    matchType: z.enum(['contains', 'equals', 'starts-with', 'ends-with']),
  })
  .strict();
const paramFilter = z.object({ name: z.string().min(1).max(128), isNotDefined: z.boolean().optional(), textMatch: textMatch.optional() }).strict();
const propFilter = z
  .object({
    name: z.string().min(1).max(128),
    isNotDefined: z.boolean().optional(),
    timeRange: timeRange.optional(),
    textMatch: textMatch.optional(),
    paramFilters: z.array(paramFilter).max(32).optional(),
  })
  .strict();
const compFilter: z.ZodType<CompFilter> = z.lazy(() =>
  z
    .object({
      name: z.string().min(1).max(64),
      isNotDefined: z.boolean().optional(),
      timeRange: timeRange.optional(),
      propFilters: z.array(propFilter).max(32).optional(),
      compFilters: z.array(compFilter).max(16).optional(),
    })
    .strict(),
);

export interface CalendarQuery extends CalendarDataShape {
  userId: number;
  folderId: number;
  /** The filter's top comp-filter (always VCALENDAR). */
  filter: CompFilter;
  /** The user's sync window; objects without an occurrence in it are left out. */
  window?: TimeWindow;
  /** Cursor from a previous page. */
  after?: string;
  limit: number;
  limits?: CalendarLimits;
}

/**
 * calendar-query: the index narrows candidates by time range, then each candidate is
 * evaluated against the full filter (recurrence included). Answers one page of
 * matching objects with their (possibly expanded) data: at most `limit`, and what one reply
 * carries; `nextCursor` goes on after the last one sent.
 */
export const CalendarObjectsQuery = defineRequest<CalendarQuery, { objects: CalendarObject[]; nextCursor?: string }>(
  'calendar.v1.objects.query',
  z
    .object({
      userId,
      folderId,
      filter: compFilter,
      window: window.optional(),
      expand: range.optional(),
      limitRecurrenceSet: range.optional(),
      select: select.optional(),
      after: z.string().max(255).optional(),
      limit: z.number().int().min(1).max(200),
      limits: calendarLimits.optional(),
    })
    .strict(),
  { idempotent: true },
);

export interface BusyPeriod {
  start: string;
  end: string;
  type: 'BUSY' | 'BUSY-TENTATIVE' | 'BUSY-UNAVAILABLE';
}

/** free-busy-query (RFC 4791 7.10): busy time of the folder's events in the range, merged. */
export const CalendarFreeBusy = defineRequest<{ userId: number; folderId: number; start: string; end: string; limits?: CalendarLimits }, { busy: BusyPeriod[] }>(
  'calendar.v1.freebusy',
  z.object({ userId, folderId, start: z.iso.datetime(), end: z.iso.datetime(), limits: calendarLimits.optional() }).strict(),
  { idempotent: true },
);

export interface CalendarFolderUrl {
  folderId: number;
  collectionName: string;
  url: string;
}

/**
 * Where frontends tell users to find each calendar: the user's
 * `com.openexchange.caldav.url` with `[hostname]` and `[folderId]` replaced (`[folderId]`
 * by the collection's path segment, which is the folder id unless a client chose the
 * name with MKCALENDAR).
 */
export const CalendarFolderUrls = defineRequest<{ userId: number; hostname: string }, CalendarFolderUrl[]>(
  'calendar.v1.folders.urls',
  z.object({ userId, hostname: z.string().min(1).max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name') }).strict(),
  { idempotent: true },
);
