import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import {
  CALENDAR_MAX_DATE_TIME,
  CALENDAR_MIN_DATE_TIME,
  calendarSegment,
  DomainException,
  RESERVED_CALENDAR_NAMES,
  requirePrecondition,
  type Precondition,
  type FolderRights,
  type SharingLimits,
  type CalendarChanges,
  type CalendarDataShape,
  type CalendarLimits,
  type CalendarFolder,
  type CalendarFolderCreate,
  type CalendarFolderUpdate,
  type CalendarObject,
  type CalendarObjectsFound,
  type CalendarObjectDelete,
  type CalendarObjectMove,
  type CalendarObjectPut,
  type CalendarObjectStored,
  type BusyPeriod,
  type CalendarObjectsPage,
  type CalendarQuery,
  type TimeWindow,
} from '@davmesh/contracts';
import {
  busyTimeOf,
  expandCalendarData,
  filterTimeRange,
  InvalidCalendarObject,
  limitRecurrenceSet,
  matchesCalendarFilter,
  mentionsZones,
  mergeBusy,
  isPlainEventTimeRange,
  isSingleTimedEvent,
  overlaps,
  DEFAULT_ICAL_LIMITS,
  readCalendarObject,
  RecurrenceLimitExceeded,
  withinRecurrenceBudget,
  recurrenceBudget,
  type IcalLimits,
  type RecurrenceBudget,
  selectCalendarData,
  type IcalComponent,
} from '@davmesh/ical';
import { announceChange, announceObjectsChange, CalendarUnitOfWork, type CalendarTransaction } from './calendar.unit-of-work';
import { FolderRepository, type FolderAccess } from './folders/folder.repository';
import { etagOf } from './objects/etag';
import { ObjectRepository, WriteRaced, type StoredAndUidHolder, type StoredObject } from './objects/object.repository';
import { ParsedObjects } from './objects/parsed-objects';
import { spanColumns } from './objects/span-columns';
import { CalendarDeletionScheduling } from './scheduling/calendar-deletion';
import { ImplicitScheduling, itipLimits, mayBeScheduling, newScheduleTag } from './scheduling/implicit-scheduling';
import { type SchedulingDirectory } from './scheduling/scheduling-directory';
import { SharingService } from './sharing/sharing.service';

/** Candidates read from the index per round while evaluating a query. */
const QUERY_BATCH = 100;

/** Largest calendar object accepted (CALDAV:max-resource-size). */
export const MAX_RESOURCE_SIZE = 1024 * 1024;

const refused = (code: 'forbidden' | 'conflict' | 'not-found', condition: string, message: string, extra: Record<string, unknown> = {}) =>
  new DomainException(code, message, { condition, ...extra });

/**
 * Calendar and task folders and their objects. Every write runs in one transaction
 * that holds the folder row: conditions (If-Match, UID uniqueness) are decided there,
 * and the folder revision rises in commit order.
 */
@Injectable()
export class CalendarService {
  constructor(
    @Inject(FolderRepository) private readonly folders: FolderRepository,
    @Inject(ObjectRepository) private readonly objects: ObjectRepository,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(ParsedObjects) private readonly parsed: ParsedObjects,
    @Inject(CalendarUnitOfWork) private readonly unitOfWork: CalendarUnitOfWork,
    @Inject(ImplicitScheduling) private readonly scheduling: ImplicitScheduling,
    @Inject(CalendarDeletionScheduling) private readonly deletion: CalendarDeletionScheduling,
    @Inject(SharingService) private readonly sharing: SharingService,
  ) {}

  /** The user's own folders (the defaults made on first use) and those shared with them. */
  async listFolders(userId: number): Promise<CalendarFolder[]> {
    const visible = await this.folders.listVisible(userId);
    const owned = visible.filter((f) => f.ownerUserId === userId);
    if (owned.some((f) => f.components.includes('VEVENT')) && owned.some((f) => f.components.includes('VTODO'))) return visible;
    await this.folders.insertDefaults(userId);
    return this.folders.listVisible(userId);
  }

  async createFolder(request: CalendarFolderCreate): Promise<CalendarFolder> {
    // Calendars shared with a user are addressed by their folder id: a name of digits could hide one.
    if (/^\d+$/.test(request.collectionName)) throw new DomainException('conflict', `"${request.collectionName}" is reserved for calendars addressed by their id`);
    if (RESERVED_CALENDAR_NAMES.includes(request.collectionName)) throw new DomainException('conflict', `"${request.collectionName}" names the schedule inbox, outbox or notification collection`);
    return this.unitOfWork.transaction(async (tx, announce) => {
      const folderId = await tx.folders.insert({
        ownerUserId: request.userId,
        collectionName: request.collectionName,
        displayName: request.props?.displayName ?? request.collectionName,
        components: request.components ?? ['VEVENT', 'VTODO'],
        description: request.props?.description,
        color: request.props?.color,
        order: request.props?.order,
        timezone: request.props?.timezone,
      });
      if (folderId === undefined) throw new DomainException('conflict', `a collection named "${request.collectionName}" exists`);
      for (const property of request.dead ?? []) await tx.folders.setDead(folderId, property);
      const folder = (await tx.folders.find(folderId))!;
      announceChange(announce, folder.folderId, folder.ownerUserId, folder.revision);
      return folder;
    });
  }

  /**
   * PROPPATCH, all or nothing. The owner (and the grantee of a direct share who may write) changes
   * the calendar for everyone. A sharee of a share by invitation sets its name, description, colour
   * and order for themselves, whatever their rights (caldav-sharing 5.5.3), and the rest (its time
   * zone, dead properties) only when they may write.
   */
  async updateFolder(request: CalendarFolderUpdate): Promise<CalendarFolder> {
    const { userId, folderId } = request;
    return this.unitOfWork.transaction(async (tx, announce) => {
      const seen = await this.usableFolder(tx.folders, folderId, userId, 'read', true);
      refuseInbox(seen, 'changed but through calendar.v1.inbox.update');
      const share = seen.ownerUserId === userId ? undefined : await tx.shares.find(folderId, userId);
      const { displayName, description, color, order, ...common } = request.props ?? {};
      const personal = share && !share.direct ? { displayName, description, color, order } : undefined;
      const props = personal ? common : (request.props ?? {});
      const changesCalendar = Object.values(props).some((value) => value !== undefined) || Boolean(request.setDead?.length || request.removeDead?.length);
      if (changesCalendar && seen.rights !== 'write') throw refused('forbidden', 'need-privileges', `calendar ${folderId} is read-only for you`);
      if (personal) await tx.shares.setPersonal(folderId, userId, personal);
      if (changesCalendar || !personal) {
        await tx.folders.updateProps(folderId, props);
        for (const property of request.setDead ?? []) await tx.folders.setDead(folderId, property);
        for (const { ns, name } of request.removeDead ?? []) await tx.folders.removeDead(folderId, ns, name);
        await tx.folders.bumpRevision(folderId);
      }
      const folder = (await tx.folders.visibleTo(folderId, userId))!;
      announceChange(announce, folder.folderId, folder.ownerUserId, folder.revision);
      return folder;
    });
  }

  /** `com.openexchange.caldav.url` of the user, resolved for each of their calendars. */
  async folderUrls(userId: number, hostname: string, template: string): Promise<{ folderId: number; collectionName: string; url: string }[]> {
    const folders = await this.listFolders(userId);
    return folders.map((folder) => ({
      folderId: folder.folderId,
      collectionName: folder.collectionName,
      url: template.replaceAll('[hostname]', hostname).replaceAll('[folderId]', encodeURIComponent(calendarSegment(folder, userId))),
    }));
  }

  /**
   * Deletes the folder with everything in it when its owner asks, telling each sharee; its
   * meetings are cancelled or declined in the same transaction (CalendarDeletionScheduling). A
   * sharee asking removes it from their home instead, declining the share (SharingService.leave).
   */
  async deleteFolder(userId: number, folderId: number, limits?: CalendarLimits, sharingLimits?: SharingLimits): Promise<{ deleted: true }> {
    const seen = await this.usableFolder(this.folders, folderId, userId);
    if (seen.ownerUserId !== userId) {
      await this.sharing.leave(userId, seen, sharingLimits);
      return { deleted: true };
    }
    const notices = await this.sharing.deletionNotices(seen, sharingLimits);
    const prepare = async (directory: SchedulingDirectory) => {
      const folder = await this.folders.access(folderId, userId);
      if (folder?.ownerUserId === userId && !folder.inbox) await this.deletion.prepare(directory, userId, folderId, limits);
    };
    await this.scheduling.write(
      (directory) =>
        this.unitOfWork.transaction(async (tx, announce) => {
          const folder = await this.usableFolder(tx.folders, folderId, userId, 'write', true);
          if (folder.ownerUserId !== userId) throw refused('forbidden', 'need-privileges', `calendar ${folderId} is not yours to delete`);
          refuseInbox(folder, 'deleted');
          await this.deletion.schedule(tx, announce, directory, userId, folderId, limits);
          await this.sharing.endAll(tx, folder, notices);
          await tx.folders.delete(folderId);
          // Edges drop their listings that hold it: a calendar made again under the name is a new folder.
          announceChange(announce, folderId, userId, folder.revision);
        }),
      prepare,
    );
    return { deleted: true };
  }

  async listObjects(userId: number, folderId: number, after: string | undefined, limit: number, window?: TimeWindow): Promise<CalendarObjectsPage> {
    await this.usableFolder(this.folders, folderId, userId);
    const read = await this.objects.page(folderId, after, limit, window);
    const objects = this.bus.replyBudget().fill(read);
    return objects.length === limit || objects.length < read.length ? { objects, nextCursor: objects[objects.length - 1].name } : { objects };
  }

  /** The named objects in the order asked, while they fit one reply; the rest are `unsent`. */
  async getObjects(userId: number, folderId: number, names: string[], shape: CalendarDataShape & { limits?: CalendarLimits } = {}): Promise<CalendarObjectsFound> {
    const asked = [...new Set(names)];
    const room = this.bus.replyBudget().reserve(asked);
    const recurrence = this.recurrenceBudget(shape.limits);
    const objects: CalendarObject[] = [];
    const missing: string[] = [];
    const stored = await this.objects.getManyReadable(folderId, userId, asked, room.bytes);
    if (!stored) throw new DomainException('not-found', `no calendar ${folderId}`);
    const byName = new Map(stored.map((o) => [o.name, o]));
    for (const [index, name] of asked.entries()) {
      const found = byName.get(name);
      if (!found) {
        missing.push(name);
        continue;
      }
      const ical = found.ical;
      if (ical === undefined) return { objects, missing, unsent: asked.slice(index) };
      const object = { ...found, ical: this.bounded(recurrence, () => this.shape(ical, shape)) };
      if (!room.take(object)) return { objects, missing, unsent: asked.slice(index) };
      objects.push(object);
    }
    return { objects, missing };
  }

  /**
   * Stores the object, and schedules it in the same transaction when it is a scheduling object
   * resource of the calendar's owner (RFC 6638, docs/scheduling.md): what is stored may then
   * differ from the body (`asSent` false), and carries a new Schedule-Tag.
   */
  async putObject(request: CalendarObjectPut): Promise<CalendarObjectStored & { revision: number }> {
    if (Buffer.byteLength(request.ical) > MAX_RESOURCE_SIZE) {
      throw refused('forbidden', 'max-resource-size', `a calendar object may have at most ${MAX_RESOURCE_SIZE} bytes`);
    }
    const summary = this.read(request.ical, { ...DEFAULT_ICAL_LIMITS, ...request.limits });
    if (summary.span !== 'none') {
      if (Number.isFinite(summary.span.start) && summary.span.start < Date.parse(CALENDAR_MIN_DATE_TIME)) {
        throw refused('forbidden', 'min-date-time', `occurrences before ${CALENDAR_MIN_DATE_TIME} are not accepted`);
      }
      if (Number.isFinite(summary.span.end) && summary.span.end > Date.parse(CALENDAR_MAX_DATE_TIME)) {
        throw refused('forbidden', 'max-date-time', `occurrences after ${CALENDAR_MAX_DATE_TIME} are not accepted`);
      }
    }
    const limits = itipLimits(request.limits);
    // A write that may schedule holds its folder's row from the start, as every other write path
    // does. One that cannot reads without it and stores only if what it read is still there; the
    // row is then held from the store to the commit, and a write that lost a race runs again
    // holding it from the start (docs/bus-api.md, Calendar).
    let holdFolder = mayBeScheduling(request.ical);
    return this.scheduling.write((directory) =>
      this.unitOfWork.transaction(async (tx, announce) => {
        const { folder, existing, version, uidHolder: holder } = await this.putReads(tx, request, summary.uid, holdFolder);
        refuseInbox(folder, 'written to: it takes only what scheduling delivers');
        if (!folder.components.includes(summary.component)) {
          throw refused('forbidden', 'supported-calendar-component', `this collection holds ${folder.components.join(', ')}, not ${summary.component}`);
        }
        const raced = () => {
          holdFolder = true;
          return new WriteRaced();
        };
        if (!holdFolder && existing && mayBeScheduling(existing.ical)) throw raced();
        requireConditions(request, existing);
        if (holder !== undefined && holder !== request.name) {
          throw refused('conflict', 'no-uid-conflict', `UID ${summary.uid} is in use by another resource`, { folderId: request.folderId, name: holder });
        }
        const change = { ownerUserId: folder.ownerUserId, before: existing?.ical, after: request.ical, limits };
        const { stored, scheduling } = await this.scheduling.schedule(tx, announce, directory, change);
        const ical = stored ?? request.ical;
        if (scheduling) await this.scheduling.requireUnique(tx, folder.ownerUserId, summary.uid, request);
        const etag = etagOf(ical);
        const scheduleTag = scheduling ? newScheduleTag() : undefined;
        const object = { name: request.name, uid: summary.uid, component: summary.component, etag, ical, ...spanColumns(summary.span), scheduleTag };
        const revision = await tx.objects.storeIfUnchanged(request.folderId, object, version);
        if (revision === undefined) throw raced();
        announceObjectsChange(announce, request.folderId, folder.ownerUserId, revision);
        return { etag, created: !existing, revision, asSent: ical === request.ical, ...(scheduleTag && { scheduleTag }) };
      }),
    );
  }

  /**
   * What a PUT decides on: its folder as the user may use it, what the name holds and who holds
   * the UID. With `holdFolder`, read after the folder's row is locked; without, in one statement.
   */
  private async putReads(tx: CalendarTransaction, request: CalendarObjectPut, uid: string, holdFolder: boolean): Promise<StoredAndUidHolder & { folder: FolderAccess }> {
    const { folderId, userId, name } = request;
    if (holdFolder) {
      const folder = await this.usableFolder(tx.folders, folderId, userId, 'write', true);
      return { folder, ...(await tx.objects.readStoredAndUidHolder(folderId, name, uid)) };
    }
    const found = await tx.folders.accessCarrying(folderId, userId, tx.objects.storedAndUidHolderRead(name, uid));
    return { folder: usable(found.folder, folderId, 'write'), ...found.carried };
  }

  /**
   * Deletes the object; deleting a scheduling object resource cancels it for its attendees
   * (organizer) or declines it (attendee, unless `scheduleReply` is false) in the same
   * transaction. Messages in a schedule inbox are deleted as they are.
   */
  async deleteObject(request: CalendarObjectDelete): Promise<{ revision: number }> {
    const { userId, folderId, name } = request;
    const limits = itipLimits(request.limits);
    return this.scheduling.write((directory) =>
      this.unitOfWork.transaction(async (tx, announce) => {
        const folder = await this.usableFolder(tx.folders, folderId, userId, 'write', true);
        const existing = await tx.objects.readStored(folderId, name);
        if (!existing) throw new DomainException('not-found', `no resource ${name}`);
        requireConditions(request, existing);
        if (!folder.inbox) {
          await this.scheduling.schedule(tx, announce, directory, { ownerUserId: folder.ownerUserId, before: existing.ical, reply: request.scheduleReply !== false, limits });
        }
        await tx.objects.delete(folderId, name);
        const revision = await tx.objects.recordChangeAtNextRevision(folderId, name, true);
        announceObjectsChange(announce, folderId, folder.ownerUserId, revision);
        return { revision };
      }),
    );
  }

  /**
   * MOVE (or a rename) between calendars the user may write. Within one owner's calendars a
   * scheduling object resource stays the same one: nothing is sent, and it gets a new
   * Schedule-Tag (RFC 6638 3.2.10, a client's MOVE). Between two owners' calendars (one shared
   * with the user) it leaves the one owner's, as a DELETE would, and arrives in the other's, as
   * a PUT would (docs/scheduling.md, MOVE). An object the move overwrites with another event
   * goes as its DELETE would.
   */
  async moveObject(request: CalendarObjectMove): Promise<CalendarObjectStored> {
    const { folderId, name, toFolderId, toName } = request;
    if (folderId === toFolderId && name === toName) throw new DomainException('forbidden', 'source and destination are the same');
    const limits = itipLimits(request.limits);
    return this.scheduling.write((directory) =>
      this.unitOfWork.transaction(async (tx, announce) => {
        const { source, occupied, owners } = await this.moving(tx, request);
        let moved: StoredObject = source.scheduleTag ? { ...source, scheduleTag: newScheduleTag() } : source;
        if (owners.from === owners.to && occupied && occupied.uid !== source.uid) {
          // Overwritten by another event: the one replaced goes as its DELETE would.
          await this.scheduling.schedule(tx, announce, directory, { ownerUserId: owners.to, before: occupied.ical, limits });
        }
        if (owners.from !== owners.to) {
          await this.scheduling.schedule(tx, announce, directory, { ownerUserId: owners.from, before: source.ical, limits });
          const arrived = await this.scheduling.schedule(tx, announce, directory, { ownerUserId: owners.to, before: occupied?.ical, after: source.ical, arrives: true, limits });
          const ical = arrived.stored ?? source.ical;
          if (arrived.scheduling) await this.scheduling.requireUnique(tx, owners.to, source.uid, { folderId: toFolderId, name: toName });
          moved = { ...source, ical, etag: etagOf(ical), scheduleTag: arrived.scheduling ? newScheduleTag() : null };
        }
        await tx.objects.delete(folderId, name);
        await tx.objects.upsert(toFolderId, { ...moved, name: toName });
        const sourceRevision = await tx.objects.recordChangeAtNextRevision(folderId, name, true);
        const targetRevision = toFolderId === folderId ? sourceRevision : await tx.folders.bumpRevision(toFolderId);
        await tx.objects.recordChange(toFolderId, toName, targetRevision, false);
        announceObjectsChange(announce, folderId, owners.from, sourceRevision);
        if (toFolderId !== folderId) announceObjectsChange(announce, toFolderId, owners.to, targetRevision);
        return { etag: moved.etag, created: !occupied, asSent: moved.ical === source.ical, ...(moved.scheduleTag && { scheduleTag: moved.scheduleTag }) };
      }),
    );
  }

  /** A move's folders locked (in id order, so two opposite moves cannot deadlock), its source and the object it replaces, its conditions met. */
  private async moving(tx: CalendarTransaction, request: CalendarObjectMove) {
    const { userId, folderId, name, toFolderId, toName } = request;
    const owners = new Map<number, number>();
    for (const id of [...new Set([folderId, toFolderId])].sort((a, b) => a - b)) {
      const folder = await this.usableFolder(tx.folders, id, userId, 'write', true);
      refuseInbox(folder, 'moved into or out of');
      owners.set(id, folder.ownerUserId);
    }
    const target = (await tx.folders.find(toFolderId))!;
    const source = await tx.objects.readStored(folderId, name);
    if (!source) throw new DomainException('not-found', `no resource ${name}`);
    requireConditions(request, source);
    if (!target.components.includes(source.component)) {
      throw refused('forbidden', 'supported-calendar-component', `the destination holds ${target.components.join(', ')}, not ${source.component}`);
    }
    const occupied = await tx.objects.readStored(toFolderId, toName);
    if (occupied && !request.overwrite) throw new DomainException('precondition-failed', 'the destination exists');
    const holder = await tx.objects.nameHoldingUid(toFolderId, source.uid);
    if (holder !== undefined && holder !== toName && !(toFolderId === folderId && holder === name)) {
      throw refused('conflict', 'no-uid-conflict', `UID ${source.uid} is in use at the destination`, { folderId: toFolderId, name: holder });
    }
    return { source, occupied, owners: { from: owners.get(folderId)!, to: owners.get(toFolderId)! } };
  }

  async syncChanges(
    userId: number,
    folderId: number,
    sinceRevision: number | undefined,
    limit: number,
    window?: TimeWindow,
  ): Promise<CalendarChanges> {
    // The folder's revision and its changes up to it in one snapshot: later commits wait for the next sync.
    const since = sinceRevision ?? 0;
    const found = await this.objects.changesSince(folderId, userId, since, limit, window);
    if (!found) throw new DomainException('not-found', `no calendar ${folderId}`);
    if (since > found.revision) throw refused('not-found', 'valid-sync-token', 'this collection never had that sync token');
    let rows = found.changes;
    // At most `limit` changes, and what one reply carries.
    const room = this.bus.replyBudget();
    const fitting = rows.slice(0, limit).findIndex((r) => !room.take(r.meta ?? r.name));
    const kept = fitting < 0 ? Math.min(limit, rows.length) : fitting;
    let truncated = false;
    if (rows.length > kept) {
      truncated = true;
      const cut = rows[kept].revision;
      // Never split one revision (a rename writes two names in it) across two pages.
      const before = rows.slice(0, kept).filter((r) => r.revision !== cut);
      rows = before.length > 0 ? before : rows.filter((r) => r.revision === cut);
    }
    const revision = truncated ? rows[rows.length - 1].revision : found.revision;
    const initial = sinceRevision === undefined;
    return {
      revision,
      changed: rows.filter((r) => !r.removed && r.meta).map((r) => r.meta!),
      removed: initial ? [] : rows.filter((r) => r.removed).map((r) => r.name),
      truncated,
    };
  }

  /** calendar-query: index candidates by time range, then the full filter on each, one page of matches. */
  async query(request: CalendarQuery): Promise<{ objects: CalendarObject[]; nextCursor?: string }> {
    await this.usableFolder(this.folders, request.folderId, request.userId);
    const range = filterTimeRange(request.filter);
    // The commonest client query (events in a time range) needs no parsing for single timed events:
    // their indexed span is their one instance.
    const indexDecides = isPlainEventTimeRange(request.filter);
    const matches: CalendarObject[] = [];
    const budget = this.recurrenceBudget(request.limits);
    const room = this.bus.replyBudget();
    let after = request.after;
    for (;;) {
      const batch = await this.objects.candidates(request.folderId, after, QUERY_BATCH, range, request.window);
      for (const { object, span } of batch) {
        const before = after;
        after = object.name;
        const single = indexDecides && isSingleTimedEvent(object.ical);
        // Parsed once, for the filter and for the shaping of calendar-data alike.
        const shaped = this.bounded(budget, () => {
          const root = single ? undefined : this.parsed.get(object.etag, object.ical);
          const matched = root ? matchesCalendarFilter(root, request.filter) : overlaps(span.start, span.end, range.start, range.end);
          return matched ? this.shape(object.ical, request, root ? { root } : { singleSpan: span }) : undefined;
        });
        if (shaped === undefined) continue;
        const match = { ...object, ical: shaped };
        // The reply is full: the next page starts at this match.
        if (!room.take(match)) return { objects: matches, nextCursor: before };
        matches.push(match);
        if (matches.length === request.limit) return { objects: matches, nextCursor: after };
      }
      if (batch.length < QUERY_BATCH) return { objects: matches };
    }
  }

  async freeBusy(userId: number, folderId: number, start: string, end: string, limits?: CalendarLimits): Promise<{ busy: BusyPeriod[] }> {
    await this.usableFolder(this.folders, folderId, userId);
    return { busy: await this.busyIn([folderId], start, end, this.recurrenceBudget(limits)) };
  }

  /**
   * The busy time of the folders' events in [start, end), merged across them (RFC 4791 7.10: opaque,
   * not cancelled; tentative ones as BUSY-TENTATIVE), on one request's recurrence budget. The
   * caller has decided that the asking user may know it.
   */
  async busyIn(folderIds: number[], start: string, end: string, budget: RecurrenceBudget): Promise<BusyPeriod[]> {
    const range = { start: Date.parse(start), end: Date.parse(end), component: 'VEVENT' };
    const periods: ReturnType<typeof busyTimeOf> = [];
    for (const folderId of folderIds) {
      let after: string | undefined;
      for (;;) {
        const batch = await this.objects.candidates(folderId, after, QUERY_BATCH, range);
        for (const { object } of batch) periods.push(...this.bounded(budget, () => busyTimeOf(object.ical, range.start, range.end)));
        if (batch.length < QUERY_BATCH) break;
        after = batch[batch.length - 1].object.name;
      }
    }
    return mergeBusy(periods);
  }

  /**
   * calendar-data options applied to one object. `known` saves work the caller has done: the
   * parsed object, or the span of a single timed event (which, without zones, expands to itself).
   */
  private shape(ical: string, request: CalendarDataShape, known: { root?: IcalComponent; singleSpan?: { start: number; end: number } } = {}): string {
    const { root, singleSpan } = known;
    let shaped = ical;
    if (request.expand) {
      const start = Date.parse(request.expand.start);
      const end = Date.parse(request.expand.end);
      const asStored = singleSpan && overlaps(singleSpan.start, singleSpan.end, start, end) && !mentionsZones(ical);
      if (!asStored) shaped = expandCalendarData(root ?? ical, start, end);
    } else if (request.limitRecurrenceSet) {
      shaped = limitRecurrenceSet(root ?? ical, Date.parse(request.limitRecurrenceSet.start), Date.parse(request.limitRecurrenceSet.end));
    }
    return request.select ? selectCalendarData(shaped, request.select) : shaped;
  }

  /** One request's recurrence work, shared by every object it evaluates. */
  recurrenceBudget(limits: CalendarLimits | undefined): RecurrenceBudget {
    const { recurrenceSteps, recurrenceMillis } = { ...DEFAULT_ICAL_LIMITS, ...limits };
    return recurrenceBudget(recurrenceSteps, recurrenceMillis);
  }

  /** An evaluation on the request's budget; out of steps, the request is refused, never truncated. */
  private bounded<T>(budget: RecurrenceBudget, evaluate: () => T): T {
    try {
      return withinRecurrenceBudget(budget, evaluate);
    } catch (error) {
      if (error instanceof RecurrenceLimitExceeded) {
        throw refused('forbidden', 'number-of-matches-within-limits', 'the recurrences in range need more work than davmesh.limits.recurrenceSteps and recurrenceMillis allow');
      }
      throw error;
    }
  }

  private read(ical: string, limits: IcalLimits) {
    try {
      return readCalendarObject(ical, limits);
    } catch (error) {
      if (error instanceof InvalidCalendarObject) throw refused('forbidden', error.condition, error.message);
      throw error;
    }
  }

  /**
   * The folder with this user's rights, if they own it or it is shared with them (others' folders do
   * not exist for them); `need-privileges` when they need to write and may only read. Read through
   * `folders`: the repository, or the one bound to the caller's transaction (`lock` holds the row there).
   */
  private async usableFolder(folders: FolderRepository, folderId: number, userId: number, need: FolderRights = 'read', lock = false): Promise<FolderAccess> {
    return usable(await folders.access(folderId, userId, lock), folderId, need);
  }
}

/** The folder a user may use as they `need`: not-found when it is not theirs, `need-privileges` when they need to write and may only read. */
function usable(folder: FolderAccess | undefined, folderId: number, need: FolderRights): FolderAccess {
  if (!folder) throw new DomainException('not-found', `no calendar ${folderId}`);
  if (need === 'write' && folder.rights !== 'write') throw refused('forbidden', 'need-privileges', `calendar ${folderId} is read-only for you`);
  return folder;
}

/**
 * A write's conditions, in its transaction: If-Match and the others (RFC 9110), then RFC 6638's
 * If-Schedule-Tag-Match, which only an object with that Schedule-Tag meets.
 */
function requireConditions(request: { precondition?: Precondition; ifScheduleTagMatch?: string }, existing: StoredObject | undefined): void {
  requirePrecondition(request.precondition, existing && { etag: existing.etag, lastModified: existing.lastModified! });
  if (request.ifScheduleTagMatch !== undefined && existing?.scheduleTag !== request.ifScheduleTagMatch) {
    throw new DomainException('precondition-failed', existing ? 'the resource has another Schedule-Tag' : 'the resource does not exist');
  }
}

/** A schedule inbox holds what scheduling delivers: no client writes, moves, changes, shares or deletes it. */
function refuseInbox(folder: FolderAccess, what: string): void {
  if (folder.inbox) throw refused('forbidden', 'need-privileges', `a schedule inbox is not ${what}`);
}
