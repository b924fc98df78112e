import { Inject, Injectable } from '@nestjs/common';
import { CALENDAR_DELETE_TIMEOUT_MS, CalendarFoldersCreate, CalendarFoldersDelete, CalendarFoldersUpdate, CalendarInboxUpdate, CalendarSyncChanges, type SyncPosition } from '@davmesh/contracts';
import { caldav, type XmlElement, Condition } from '@davmesh/dav';
import { type DavExchange } from '../http/dav-exchange';
import { type CollectionUpdate } from '../properties/collection-update';
import { preconditionError } from '../http/reply-errors';
import { hrefPath } from '../reports/href-names';
import { initialSyncMembers } from '../reports/sync-request';
import { encodeSyncToken } from '../reports/sync-token';
import { renderedMembersKey, type CollectionStore, type MemberCollection, type MemberQuery, type SyncQuery } from '../resources/adapters';
import { CaldavResources } from './caldav-resources';
import { calendarLimits } from './calendar-limits';
import { type CaldavScope, type CalendarView } from './caldav-scope';
import { calendarObjectContext } from './calendar-context';
import { calendarReportProps, type CalendarMemberProps } from './calendar-query-request';
import { sharingLimits } from './sharing/sharing-hrefs';

/** Calendars, and the schedule inbox as a calendar-like collection, as DELETE, PROPPATCH, multiget and sync-collection see them. */
@Injectable()
export class CaldavCollections implements CollectionStore<CalendarMemberProps> {
  readonly kinds = ['calendar', 'schedule-inbox'] as const;
  readonly multiget = caldav('calendar-multiget');
  /** Not the inbox (RFC 6638 2.2: it is the user's as long as they are). */
  readonly deletable = ['calendar'] as const;
  /** displayname, description, timezone, Apple's color and order, and dead properties; the inbox's default calendar and dead properties. */
  readonly updatable = ['calendar', 'schedule-inbox'] as const;
  readonly creatable = 'calendar';
  /** RFC 4791 5.3.1 MKCALENDAR, and RFC 5689 extended MKCOL as vdirsyncer makes one. */
  readonly creationMethods = ['MKCOL', 'MKCALENDAR'];
  readonly mkcolResourcetype = 'required';

  constructor(@Inject(CaldavResources) private readonly resources: CaldavResources) {}

  readProps(body: XmlElement): CalendarMemberProps {
    return calendarReportProps(body);
  }

  /** The owner's calendar with everything in it; a calendar shared with the user leaves their home (calendarserver-sharing: declined). */
  async delete(exchange: DavExchange): Promise<void> {
    const { scope, view } = await this.calendarOf(exchange);
    // Its meetings are cancelled and declined in the deleting transaction: that may take a while.
    const request = { userId: exchange.user.userId, folderId: view.folder.folderId, limits: calendarLimits(scope.config), sharing: sharingLimits(scope.config) };
    await this.resources.call(CalendarFoldersDelete, request, undefined, { timeoutMs: CALENDAR_DELETE_TIMEOUT_MS });
  }

  async forUpdate(exchange: DavExchange): Promise<{ href: string; apply(update: CollectionUpdate): Promise<void> }> {
    const scope = await this.resources.open(exchange);
    const view = this.resources.collection(scope, exchange.resource);
    const apply = async ({ change: { scheduleDefaultCalendarHref, ...props }, setDead, removeDead }: CollectionUpdate) => {
      const dead = { ...(setDead.length > 0 ? { setDead } : {}), ...(removeDead.length > 0 ? { removeDead } : {}) };
      if (view.inbox) {
        const defaultCalendarId = scheduleDefaultCalendarHref === undefined ? undefined : ownEventCalendarAt(scope, scheduleDefaultCalendarHref);
        await this.resources.call(CalendarInboxUpdate, { userId: exchange.user.userId, ...(defaultCalendarId ? { defaultCalendarId } : {}), ...dead });
        return;
      }
      await this.resources.call(CalendarFoldersUpdate, { userId: exchange.user.userId, folderId: view.folder.folderId, props, ...dead });
    };
    return { href: view.href, apply };
  }

  /** At the client's name, with the initial properties of the body. */
  async forCreation(exchange: DavExchange): Promise<(update: CollectionUpdate) => Promise<Record<string, string>>> {
    const { resource, user } = exchange;
    const collectionName = resource.kind === 'calendar' ? resource.segment : '';
    if ((await this.resources.open(exchange)).find(collectionName)) throw preconditionError(405, Condition.ResourceMustBeNull);
    return async ({ change: { components, ...props }, setDead }) => {
      await this.resources.call(CalendarFoldersCreate, {
        userId: user.userId,
        collectionName,
        ...(components ? { components } : {}),
        props,
        ...(setDead.length > 0 ? { dead: setDead } : {}),
      });
      return { 'Cache-Control': 'no-cache' };
    };
  }

  async open(exchange: DavExchange): Promise<MemberCollection<MemberQuery, CalendarMemberProps>> {
    const { scope, view } = await this.calendarOf(exchange);
    return { href: view.href, config: scope.config, query: (props) => this.query(scope, view, props) };
  }

  /**
   * Within the user's sync window (an object leaving it is reported removed). The token is the
   * folder's revision; a token of another collection, or a revision the folder never had, is
   * DAV:valid-sync-token.
   */
  async openForSync(exchange: DavExchange, since: SyncPosition | undefined): Promise<MemberCollection<SyncQuery, CalendarMemberProps>> {
    // An initial sync answers with the revision its folder listing shows: listed afresh, as for PROPFIND.
    const scope = since ? await this.resources.openFor(exchange) : await this.resources.open(exchange);
    const view = this.resources.collection(scope, exchange.resource);
    const folderId = view.folder.folderId;
    if (since !== undefined && (Object.keys(since).length !== 1 || since[folderId] === undefined)) throw preconditionError(403, Condition.ValidSyncToken);
    const sinceRevision = since ? { sinceRevision: since[folderId] } : {};
    return {
      href: view.href,
      config: scope.config,
      query: (props) => ({
        ...this.query(scope, view, props),
        changes: async (limit, listingLimit) => {
          const window = this.resources.windowOf(scope, view);
          const listed = listingLimit ? await initialSyncMembers(this.resources.objects(scope, view, window), listingLimit) : undefined;
          if (listed) {
            return {
              changes: () => listed.map((object) => ({ name: object.name, context: calendarObjectContext(scope, view, object) })),
              truncated: false,
              syncToken: view.syncToken,
              membersKey: renderedMembersKey(scope.user, view, this.resources.listingKey(scope, view, window)),
            };
          }
          const changes = await this.resources.call(CalendarSyncChanges, { userId: scope.user.userId, folderId, limit, ...(window ? { window } : {}), ...sinceRevision });
          return {
            changes: () => [
              ...changes.changed.map((object) => ({ name: object.name, context: calendarObjectContext(scope, view, object) })),
              ...changes.removed.map((name) => ({ name })),
            ],
            truncated: changes.truncated,
            syncToken: encodeSyncToken({ [folderId]: changes.revision }),
          };
        },
      }),
    };
  }

  /** The request's calendar, from this node's folder cache when it knows it; 404 when the user has none of that name. */
  private async calendarOf(exchange: DavExchange): Promise<{ scope: CaldavScope; view: CalendarView }> {
    const scope = await this.resources.openFor(exchange);
    return { scope, view: this.resources.collection(scope, exchange.resource) };
  }

  private query(scope: CaldavScope, view: CalendarView, { calendarData }: CalendarMemberProps): MemberQuery {
    const resources = this.resources;
    return {
      async *pages(names) {
        for await (const objects of resources.pages(scope, view, names, calendarData)) yield objects.map((object) => ({ name: object.name, context: calendarObjectContext(scope, view, object) }));
      },
    };
  }
}

/**
 * The folder id of the user's own calendar that holds events at `href` (a path or a URL), for
 * CALDAV:schedule-default-calendar-URL; anything else is refused with its precondition (RFC 6638 9.2).
 */
function ownEventCalendarAt(scope: CaldavScope, href: string): number {
  const path = hrefPath(href.trim());
  const view = path?.startsWith(scope.homeHref) ? scope.find(path.slice(scope.homeHref.length).replace(/\/$/, '')) : undefined;
  if (!view || view.inbox || view.folder.ownerUserId !== scope.user.userId || !view.folder.components.includes('VEVENT')) {
    throw preconditionError(403, Condition.ValidScheduleDefaultCalendarUrl);
  }
  return view.folder.folderId;
}

