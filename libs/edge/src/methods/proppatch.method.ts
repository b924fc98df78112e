import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactFoldersUpdate } from '@davmesh/contracts';
import { dav, encodeHref, propertyUpdatePropstats } from '@davmesh/dav';
import { CarddavResources } from '../carddav/carddav-resources';
import { unwrap } from '../http/reply-errors';
import { ServerSettingsService } from '../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { readCollectionUpdate } from '../properties/collection-update';
import { PropertyRegistry } from '../properties/property-registry';
import { startMultistatus } from '../reports/report-request';
import { type DavMethod } from './dav-method';

/**
 * PROPPATCH an address book: displayname, addressbook-description and any dead property.
 * All or nothing (RFC 4918 9.2): one refused property fails the rest with 424, and the
 * accepted ones are applied in one transaction of the contacts service.
 */
@Injectable()
export class ProppatchMethod implements DavMethod {
  readonly method = 'PROPPATCH';
  readonly kinds = ['addressbook'] as const;

  constructor(
    @Inject(CarddavResources) private readonly carddav: CarddavResources,
    @Inject(PropertyRegistry) private readonly properties: PropertyRegistry,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  async handle({ request, response, resource, user, prefix }: DavExchange): Promise<void> {
    const scope = await this.carddav.scopes.open(request, user, prefix);
    const view = this.carddav.collection(scope, resource);
    if (!view.folder) throw new DavHttpError(403, 'this collection has no properties to change');
    const settings = await this.serverSettings.current();
    const update = await readCollectionUpdate(request, settings, this.properties, { kind: 'addressbook', root: dav('propertyupdate'), creating: false });
    if (update.refused.length === 0 && update.accepted.length > 0) {
      const { displayName, description } = update.change;
      unwrap(
        await this.bus.request(ContactFoldersUpdate, {
          userId: user.userId,
          contextId: user.contextId,
          folderId: view.folder.folderId,
          ...(displayName === undefined ? {} : { displayName }),
          ...(description === undefined ? {} : { description }),
          setDead: update.setDead,
          removeDead: update.removeDead,
        }),
      );
    }
    const writer = startMultistatus(response);
    await writer.write(writer.response({ href: encodeHref(view.href), propstats: propertyUpdatePropstats(update) }));
    writer.end();
  }
}
