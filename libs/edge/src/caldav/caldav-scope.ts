import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { EffectiveConfigCache } from '@davmesh/config-client';
import { calendarSegment, CalendarFoldersList, type CalendarFolder, type EffectiveConfig, type TimeWindow, type User } from '@davmesh/contracts';
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
}

/** What CalDAV shows one user on one request. */
export interface CaldavScope extends DavScope<CalendarView> {
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

  /** See scopeFromListing for `reuse`. */
  async open(user: User, prefix: string, reuse?: string[]): Promise<CaldavScope> {
    const config = await this.userConfig.forUser(user.userId);
    if (config.values['com.openexchange.caldav.enabled'].value !== true) throw new DavHttpError(403, 'CalDAV is disabled for this user');
    const list = async () => unwrap(await this.bus.request(CalendarFoldersList, { userId: user.userId }), undefined, 'caldav');
    return scopeFromListing(this.folderCache, user.userId, reuse, list, (folders) => this.scopeOf(user, config, prefix, folders));
  }

  private scopeOf(user: User, config: EffectiveConfig, prefix: string, folders: CalendarFolder[]): CaldavScope {
    const homeHref = `${prefix}/caldav/`;
    // A calendar shared with the user is addressed by its folder id; should one of their own carry
    // that name (MKCALENDAR chose it), their own wins and the shared one is not shown.
    const ownSegments = new Set(folders.filter((f) => f.ownerUserId === user.userId).map((f) => f.collectionName));
    const calendars = folders
      .filter((folder) => folder.ownerUserId === user.userId || !ownSegments.has(calendarSegment(folder, user.userId)))
      .map((folder): CalendarView => {
        const segment = calendarSegment(folder, user.userId);
        return {
          href: `${homeHref}${segment}/`,
          segment,
          folder,
          writable: folder.rights === 'write',
          syncToken: encodeSyncToken({ [folder.folderId]: folder.revision }),
        };
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
