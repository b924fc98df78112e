import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactFoldersCreate } from '@davmesh/contracts';
import { dav } from '@davmesh/dav';
import { CarddavResources } from '../carddav/carddav-resources';
import { preconditionError, unwrap } from '../http/reply-errors';
import { ServerSettingsService } from '../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { readCollectionUpdate, refuseCreation, validResourcetype } from '../properties/collection-update';
import { PropertyRegistry } from '../properties/property-registry';
import { type DavMethod } from './dav-method';

/**
 * Extended MKCOL (RFC 5689) of an address book in the home, with displayname, description and
 * dead properties; a plain MKCOL makes one too. A refused property refuses the whole request:
 * 403 with a DAV:mkcol-response naming it (the others 424), and nothing is created.
 */
@Injectable()
export class MkcolMethod implements DavMethod {
  readonly method = 'MKCOL';
  readonly kinds = ['addressbook'] as const;

  constructor(
    @Inject(CarddavResources) private readonly carddav: CarddavResources,
    @Inject(PropertyRegistry) private readonly properties: PropertyRegistry,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  async handle({ request, response, resource, user, prefix }: DavExchange): Promise<void> {
    if (resource.kind !== 'addressbook') return;
    const scope = await this.carddav.scopes.open(request, user, prefix);
    if (scope.find(resource.segment)) throw new DavHttpError(405, 'the address book exists already');
    const settings = await this.serverSettings.current();
    const update = await readCollectionUpdate(request, settings, this.properties, { kind: 'addressbook', root: dav('mkcol'), creating: true });
    if (!validResourcetype(update, false)) throw preconditionError(403, dav('valid-resourcetype'));
    const refusal = refuseCreation(update, dav('mkcol-response'));
    if (refusal) throw refusal;
    const { displayName, description } = update.change;
    unwrap(
      await this.bus.request(ContactFoldersCreate, {
        userId: user.userId,
        contextId: user.contextId,
        slug: resource.segment,
        ...(displayName ? { displayName } : {}),
        ...(description ? { description } : {}),
        ...(update.setDead.length > 0 ? { dead: update.setDead } : {}),
      }),
    );
    response.statusCode = 201;
    response.setHeader('Content-Length', '0');
    response.end();
  }
}
