import { Inject, Injectable } from '@nestjs/common';
import { EffectiveConfigCache } from '@davmesh/config-client';
import { Authenticator } from './auth/authenticator';
import { CalendarFolderCache } from './caldav/calendar-folder-cache';
import { ContactFolderCache } from './carddav/contact-folder-cache';
import { ServerSettingsService } from './config/server-settings.service';

/**
 * Everything this edge node caches from events. Core NATS is at most once: after a
 * reconnect the node may have missed invalidations, so it forgets everything.
 */
@Injectable()
export class EdgeCaches {
  constructor(
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(EffectiveConfigCache) private readonly config: EffectiveConfigCache,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
    @Inject(CalendarFolderCache) private readonly calendarFolders: CalendarFolderCache,
    @Inject(ContactFolderCache) private readonly contactFolders: ContactFolderCache,
  ) {}

  flush(): void {
    this.authenticator.cache.clear();
    this.config.clear();
    this.serverSettings.clear();
    this.calendarFolders.clear();
    this.contactFolders.clear();
  }
}
