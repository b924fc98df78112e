import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { EffectiveConfigCache } from '@davmesh/config-client';
import {
  calendarSegment,
  CalendarFoldersList,
  CalendarInboxOpen,
  RESERVED_CALENDAR_NAMES,
  SCHEDULE_INBOX_SEGMENT,
  type CalendarFolder,
  type EffectiveConfig,
  type ScheduleInbox,
  type TimeWindow,
  type User,
} from '@davmesh/contracts';
import { encodeSyncToken } from '../reports/sync-token';
import { unwrap } from '../http/reply-errors';
import { EDGE_OPTIONS, type EdgeOptions } from '../edge-options';
import { DavHttpError } from '../http/dav-exchange';
import { CalendarFolderCache } from './calendar-folder-cache';
import { syncWindow } from './sync-window';
import { collectionLookup, scopeFromListing, type DavScope } from '../resources/dav-scope';

/** One calendar collection as this user sees it. */
export interface CalendarView {
  href: string;
  segment: string;
  folder: CalendarFolder;
  writable: boolean;
  /** sync-token and getctag: the folder's revision. */
  syncToken: string;
  /** On the schedule inbox: the href of CALDAV:schedule-default-calendar-URL (none when the user has no event calendar). */
  inbox?: { defaultCalendarHref?: string };
}

/** What CalDAV shows one user on one request. */
export interface CaldavScope extends DavScope<CalendarView> {
  /** The calendars of the home; never the schedule inbox, which `find('inbox')` answers when the scope was opened with it. */
  calendars: CalendarView[];
  /** com.openexchange.caldav.interval.start/.end, for listing and queries. */
  window: TimeWindow;
}

/** Applies com.openexchange.caldav.enabled (403 on everything under the home) and lists the user's calendars. */
@Injectable()
export class CaldavScopes {
  constructor(
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(EffectiveConfigCache) private readonly userConfig: EffectiveConfigCache,
    @Inject(CalendarFolderCache) private readonly folderCache: CalendarFolderCache,
    @Inject(EDGE_OPTIONS) private readonly options: EdgeOptions,
  ) {}

  /**
   * See scopeFromListing for `reuse`. With `inbox`, the scope also shows the schedule inbox (read
   * afresh, made on first use) at its segment.
   */
  async open(user: User, prefix: string, reuse?: string[], options: { inbox?: boolean } = {}): Promise<CaldavScope> {
    const config = await this.config(user);
    const list = async () => unwrap(await this.bus.request(CalendarFoldersList, { userId: user.userId }), undefined, 'caldav');
    const inbox = options.inbox ? this.bus.request(CalendarInboxOpen, { userId: user.userId }).then((reply) => unwrap(reply, undefined, 'caldav')) : undefined;
    // Awaited together: the listing (maybe cached) and the inbox cross the bus at the same time.
    const [scope, opened] = await Promise.all([
      scopeFromListing(this.folderCache, user.userId, reuse?.filter((segment) => segment !== SCHEDULE_INBOX_SEGMENT), list, (folders) => this.scopeOf(user, config, prefix, folders)),
      inbox,
    ]);
    return opened ? withInbox(scope, opened) : scope;
  }

  /** The user's effective configuration; 403 when CalDAV is off for them (com.openexchange.caldav.enabled). */
  async config(user: User): Promise<EffectiveConfig> {
    const config = await this.userConfig.forUser(user.userId);
    if (config.values['com.openexchange.caldav.enabled'].value !== true) throw new DavHttpError(403, 'CalDAV is disabled for this user');
    return config;
  }

  private scopeOf(user: User, config: EffectiveConfig, prefix: string, folders: CalendarFolder[]): CaldavScope {
    const homeHref = `${prefix}/caldav/`;
    // A calendar shared with the user is addressed by its folder id; should one of their own carry
    // that name (MKCALENDAR chose it), their own wins and the shared one is not shown.
    const ownSegments = new Set(folders.filter((f) => f.ownerUserId === user.userId).map((f) => f.collectionName));
    const calendars = folders
      .filter((folder) => folder.ownerUserId === user.userId || !ownSegments.has(calendarSegment(folder, user.userId)))
      .map((folder): CalendarView => {
        // A calendar named inbox or outbox before those names were the schedule collections' is addressed by its id.
        const named = calendarSegment(folder, user.userId);
        const segment = RESERVED_CALENDAR_NAMES.includes(named) ? String(folder.folderId) : named;
        return calendarView(homeHref, segment, folder, folder.rights === 'write');
      });
    return {
      user,
      config,
      prefix,
      homeHref,
      calendars,
      window: syncWindow(config, this.options.clock()),
      ...collectionLookup(calendars, (calendar, folderId) => calendar.folder.folderId === folderId),
    };
  }
}

function calendarView(homeHref: string, segment: string, folder: CalendarFolder, writable: boolean): CalendarView {
  return { href: `${homeHref}${segment}/`, segment, folder, writable, syncToken: encodeSyncToken({ [folder.folderId]: folder.revision }) };
}

/** The scope with the schedule inbox found at its segment (and its messages' hrefs), not among the calendars. */
function withInbox(scope: CaldavScope, { inbox, defaultCalendar }: ScheduleInbox): CaldavScope {
  const view: CalendarView = {
    ...calendarView(scope.homeHref, SCHEDULE_INBOX_SEGMENT, inbox, false),
    inbox: { defaultCalendarHref: defaultCalendar ? scope.hrefOf(defaultCalendar.folderId, '') : undefined },
  };
  const lookup = collectionLookup([...scope.calendars, view], (calendar, folderId) => calendar.folder.folderId === folderId);
  return { ...scope, ...lookup };
}
