import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactObjectsPut } from '@davmesh/contracts';
import { carddav } from '@davmesh/dav';
import { CarddavResources } from '../carddav/carddav-resources';
import { ServerSettingsService } from '../config/server-settings.service';
import { preconditionError, unwrap } from '../carddav/reply-errors';
import { isVCardMediaType, MAX_VCARD_BYTES } from '../carddav/vcard-media';
import { type DavExchange } from '../http/dav-exchange';
import { quoteEtag, writePrecondition } from '../http/conditional-headers';
import { BodyTooLargeError, readBody } from '../http/request-body';
import { type DavMethod } from './dav-method';

/** PUT a vCard; into the aggregated collection a new one lands in the personal folder. */
@Injectable()
export class PutMethod implements DavMethod {
  readonly method = 'PUT';
  readonly kinds = ['contact'] as const;

  constructor(
    @Inject(CarddavResources) private readonly carddav: CarddavResources,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource, user } = exchange;
    if (resource.kind !== 'contact') return;
    const scope = await this.carddav.openFor(exchange);
    const view = this.carddav.collection(scope, resource);
    if (!isVCardMediaType(request)) throw preconditionError(403, carddav('supported-address-data'));
    let vcard: string;
    try {
      vcard = await readBody(request, MAX_VCARD_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw preconditionError(403, carddav('max-resource-size'));
      throw error;
    }
    const { limits } = await this.serverSettings.current();
    const result = unwrap(
      await this.bus.request(ContactObjectsPut, {
        userId: user.userId,
        contextId: user.contextId,
        folderId: view.targetFolderId,
        name: resource.name,
        vcard,
        ...(view.kind === 'aggregated' ? { replaceIn: view.folderIds } : {}),
        precondition: writePrecondition(exchange),
        maxBytes: MAX_VCARD_BYTES,
        limits: { parameterLength: limits['davmesh.limits.parameterLength'], propertyLength: limits['davmesh.limits.propertyLength'] },
      }),
      scope.hrefOf,
    );
    response.statusCode = result.created ? 201 : 204;
    response.setHeader('ETag', quoteEtag(result.etag));
    response.setHeader('Content-Length', '0');
    response.end();
  }
}
