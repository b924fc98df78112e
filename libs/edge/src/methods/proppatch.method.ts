import { Inject, Injectable } from '@nestjs/common';
import { dav, encodeHref, propertyUpdatePropstats } from '@davmesh/dav';
import { ServerSettingsService } from '../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { readCollectionUpdate } from '../properties/collection-update';
import { PropertyRegistry } from '../properties/property-registry';
import { startMultistatus } from '../reports/report-request';
import { DAV_ADAPTERS, type DavAdapter } from '../resources/adapters';
import { type ResourceKind } from '../resources/resource';
import { type DavMethod } from './dav-method';

/**
 * PROPPATCH a collection: the live properties its protocol registers a setter for, and any
 * dead property. All or nothing (RFC 4918 9.2): one refused property fails the rest with 424,
 * and the accepted ones are applied in one transaction of the owning service.
 */
@Injectable()
export class ProppatchMethod implements DavMethod {
  readonly method = 'PROPPATCH';
  readonly kinds: readonly ResourceKind[];

  constructor(
    @Inject(DAV_ADAPTERS) private readonly adapters: DavAdapter[],
    @Inject(PropertyRegistry) private readonly properties: PropertyRegistry,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {
    this.kinds = adapters.flatMap((a) => a.collections.updatable);
  }

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource } = exchange;
    const collections = this.adapters.find((a) => a.collections.updatable.includes(resource.kind))?.collections;
    if (!collections) throw new DavHttpError(405, 'PROPPATCH is not allowed on this resource');
    const target = await collections.forUpdate(exchange);
    const settings = await this.serverSettings.current();
    const update = await readCollectionUpdate(request, settings, this.properties, { kind: resource.kind, root: dav('propertyupdate'), creating: false });
    if (update.refused.length === 0 && update.accepted.length > 0) await target.apply(update);
    const writer = startMultistatus(response);
    await writer.write(writer.response({ href: encodeHref(target.href), propstats: propertyUpdatePropstats(update) }));
    writer.end();
  }
}
