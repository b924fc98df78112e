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
export interface CaldavScope {
  user: User;
  config: EffectiveConfig;
  prefix: string;
  homeHref: string;
  calendars: CalendarView[];
  /** com.openexchange.caldav.interval.start/.end, for listing and queries. */
  window: TimeWindow;
  find(segment: string): CalendarView | undefined;
  /** The href of an object of a folder, for no-uid-conflict. */
  hrefOf(folderId: number, name: string): string | undefined;
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
   * Lists the user's calendars afresh, or, with `reuse`, answers from this node's folder cache
   * when it holds every segment named there. Only requests whose answer does not show a
   * folder's revision may reuse: the calendar service checks access again on each of them.
   */
  async open(user: User, prefix: string, reuse?: string[]): Promise<CaldavScope> {
    const config = await this.userConfig.forUser(user.userId);
    if (config.values['com.openexchange.caldav.enabled'].value !== true) throw new DavHttpError(403, 'CalDAV is disabled for this user');
    const cached = reuse && this.folderCache.get(user.userId);
    if (cached) {
      const scope = this.scopeOf(user, config, prefix, cached);
      if (reuse.every((segment) => scope.find(segment))) return scope;
    }
    const listedAt = this.folderCache.mark();
    const folders = unwrap(await this.bus.request(CalendarFoldersList, { userId: user.userId }), undefined, 'caldav');
    this.folderCache.put(user.userId, folders, listedAt);
    return this.scopeOf(user, config, prefix, folders);
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
    const bySegment = new Map(calendars.map((c) => [c.segment, c]));
    return {
      user,
      config,
      prefix,
      homeHref,
      calendars,
      window: syncWindow(config, this.options.clock()),
      find: (segment) => bySegment.get(segment),
      hrefOf: (folderId, name) => {
        const calendar = calendars.find((c) => c.folder.folderId === folderId);
        return calendar ? `${calendar.href}${name}` : undefined;
      },
    };
  }
}
