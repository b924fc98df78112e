import { Inject, Injectable } from '@nestjs/common';
import { CalendarFoldersUpdate } from '@davmesh/contracts';
import { dav, encodeHref, propertyUpdatePropstats } from '@davmesh/dav';
import { CaldavResources } from '../caldav/caldav-resources';
import { ServerSettingsService } from '../config/server-settings.service';
import { type DavExchange } from '../http/dav-exchange';
import { readCollectionUpdate } from '../properties/collection-update';
import { PropertyRegistry } from '../properties/property-registry';
import { startMultistatus } from '../reports/report-request';
import { type DavMethod } from './dav-method';

/**
 * PROPPATCH of a calendar: displayname, description, timezone, Apple's color and order, and
 * dead properties; all or none (RFC 4918 9.2): one refusal fails the others with 424.
 */
@Injectable()
export class CaldavProppatchMethod implements DavMethod {
  readonly method = 'PROPPATCH';
  readonly kinds = ['calendar'] as const;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
    @Inject(PropertyRegistry) private readonly properties: PropertyRegistry,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource, user } = exchange;
    const scope = await this.caldav.open(exchange);
    const view = this.caldav.collection(scope, resource);
    const settings = await this.serverSettings.current();
    const update = await readCollectionUpdate(request, settings, this.properties, { kind: 'calendar', root: dav('propertyupdate'), creating: false });
    if (update.refused.length === 0 && update.accepted.length > 0) {
      await this.caldav.call(CalendarFoldersUpdate, {
        userId: user.userId,
        folderId: view.folder.folderId,
        props: update.change,
        ...(update.setDead.length > 0 ? { setDead: update.setDead } : {}),
        ...(update.removeDead.length > 0 ? { removeDead: update.removeDead } : {}),
      });
    }
    const writer = startMultistatus(response);
    await writer.write(writer.response({ href: encodeHref(view.href), propstats: propertyUpdatePropstats(update) }));
    writer.end();
  }
}
