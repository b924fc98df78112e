import { Inject, Injectable } from '@nestjs/common';
import { type CacheCounts } from '@davmesh/caching';
import { EffectiveConfigCache, NodeCaches } from '@davmesh/config-client';
import { LOGGER, type Logger } from '@davmesh/logging';
import { Authenticator } from './auth/authenticator';
import { CalendarFolderCache } from './caldav/calendar-folder-cache';
import { ContactFolderCache } from './carddav/contact-folder-cache';
import { CalendarMemberListings, ContactMemberListings, RenderedMemberListings } from './caches/member-listing-cache';
import { ServerSettingsService } from './config/server-settings.service';

/**
 * Everything this edge node caches (docs/caching.md). Configuration and directory changes reach
 * the logins and server settings through the node's caches (events and acknowledged
 * invalidations alike); folder changes reach the listings through their own events. Core NATS
 * is at most once: after a reconnect the node may have missed invalidations, so it forgets
 * everything.
 */
@Injectable()
export class EdgeCaches {
  constructor(
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(EffectiveConfigCache) private readonly config: EffectiveConfigCache,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
    @Inject(CalendarFolderCache) private readonly calendarFolders: CalendarFolderCache,
    @Inject(ContactFolderCache) private readonly contactFolders: ContactFolderCache,
    @Inject(CalendarMemberListings) private readonly calendarMembers: CalendarMemberListings,
    @Inject(ContactMemberListings) private readonly contactMembers: ContactMemberListings,
    @Inject(RenderedMemberListings) private readonly renderedMembers: RenderedMemberListings,
    @Inject(NodeCaches) nodeCaches: NodeCaches,
    @Inject(LOGGER) logger: Logger,
  ) {
    nodeCaches.onConfigChange((event) => {
      serverSettings.onChanged(event);
      // Server files may change davmesh.scheduling.defaultEmailDomain, the address of users without one.
      if (event.scope === 'server') authenticator.cache.clear();
    });
    nodeCaches.onUserChange((event) => {
      const evicted = authenticator.cache.onUserChanged(event);
      logger.debug({ userId: event.userId, change: event.change, evicted }, 'directory change seen');
    });
  }

  /** Each cache's counts by the name the metrics give it (docs/caching.md). */
  counts(): Record<string, CacheCounts> {
    return {
      logins: this.authenticator.cache.counts,
      effective_config: this.config.counts,
      server_settings: this.serverSettings.counts,
      calendar_listings: this.calendarFolders.counts,
      addressbook_listings: this.contactFolders.counts,
      calendar_member_listings: this.calendarMembers.counts,
      addressbook_member_listings: this.contactMembers.counts,
      rendered_member_listings: this.renderedMembers.counts,
    };
  }

  flush(): void {
    this.authenticator.cache.clear();
    this.config.clear();
    this.serverSettings.clear();
    this.calendarFolders.clear();
    this.contactFolders.clear();
  }
}
