import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactObjectsMove } from '@davmesh/contracts';
import { CarddavResources } from '../carddav/carddav-resources';
import { unwrap } from '../carddav/reply-errors';
import { ServerSettingsService } from '../config/server-settings.service';
import { quoteEtag, writePrecondition } from '../http/conditional-headers';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { resolveDestination } from '../resources/destination';
import { type DavMethod } from './dav-method';

/** MOVE a contact to another address book (or name) of the same user. */
@Injectable()
export class MoveMethod implements DavMethod {
  readonly method = 'MOVE';
  readonly kinds = ['contact'] as const;

  constructor(
    @Inject(CarddavResources) private readonly carddav: CarddavResources,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource, user } = exchange;
    if (resource.kind !== 'contact') return;
    const settings = await this.serverSettings.current();
    const destination = resolveDestination(request, settings.prefix, settings.proxyPrefix);
    if (destination?.kind !== 'contact') throw new DavHttpError(400, 'Destination must name a contact resource');
    const scope = await this.carddav.openFor(exchange, [resource, destination]);
    const source = this.carddav.collection(scope, resource);
    const target = this.carddav.collection(scope, destination);
    const overwrite = String(request.headers['overwrite'] ?? 'T').toUpperCase() !== 'F';
    const result = unwrap(
      await this.bus.request(ContactObjectsMove, {
        userId: user.userId,
        contextId: user.contextId,
        folderIds: source.folderIds,
        name: resource.name,
        toFolderId: target.targetFolderId,
        toName: destination.name,
        overwrite,
        precondition: writePrecondition(exchange),
      }),
      scope.hrefOf,
    );
    response.statusCode = result.created ? 201 : 204;
    response.setHeader('ETag', quoteEtag(result.etag));
    response.setHeader('Content-Length', '0');
    response.end();
  }
}
