import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactFoldersCreate } from '@davmesh/contracts';
import { carddav, dav, el, firstChild, renderDocument, sameName, statusLine } from '@davmesh/dav';
import { propertyUpdateStatus, readPropertyUpdate } from '../carddav/addressbook-property-update';
import { CarddavResources } from '../carddav/carddav-resources';
import { preconditionError, unwrap } from '../carddav/reply-errors';
import { ServerSettingsService } from '../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { readXmlBody, xmlBodyLimits } from '../http/request-body';
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
    const root = await readXmlBody(request, xmlBodyLimits(settings), dav('mkcol'));
    const sets = root?.children.filter((c) => sameName(c.name, dav('set'))) ?? [];
    for (const prop of sets.flatMap((s) => s.children.filter((c) => sameName(c.name, dav('prop'))))) {
      const resourcetype = firstChild(prop, dav('resourcetype'));
      if (resourcetype && !firstChild(resourcetype, carddav('addressbook'))) throw preconditionError(403, dav('valid-resourcetype'));
    }
    const update = readPropertyUpdate(sets, this.properties, settings.limits['davmesh.limits.deadPropertyBytes']);
    if (update.refused.length > 0) {
      const propstats = propertyUpdateStatus(update)
        .filter((p) => p.props.length > 0)
        .map((p) => el(dav('propstat'), [el(dav('prop'), p.props.map((prop) => el(prop.name))), el(dav('status'), statusLine(p.status))]));
      throw new DavHttpError(403, 'a property cannot be set', renderDocument(el(dav('mkcol-response'), propstats)));
    }
    const { displayName, description, setDead } = update.change;
    unwrap(
      await this.bus.request(ContactFoldersCreate, {
        userId: user.userId,
        contextId: user.contextId,
        slug: resource.segment,
        ...(displayName ? { displayName } : {}),
        ...(description ? { description } : {}),
        ...(setDead.length > 0 ? { dead: setDead } : {}),
      }),
    );
    response.statusCode = 201;
    response.setHeader('Content-Length', '0');
    response.end();
  }
}
