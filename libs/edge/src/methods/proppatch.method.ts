import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactFoldersUpdate } from '@davmesh/contracts';
import { dav, encodeHref, XmlParseError } from '@davmesh/dav';
import { propertyUpdateStatus, readPropertyUpdate } from '../carddav/addressbook-property-update';
import { CarddavResources } from '../carddav/carddav-resources';
import { unwrap } from '../carddav/reply-errors';
import { ServerSettingsService } from '../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { readXmlBody, xmlBodyLimits } from '../http/request-body';
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
    const root = await readXmlBody(request, xmlBodyLimits(settings), dav('propertyupdate'));
    if (!root) throw new XmlParseError('PROPPATCH needs a DAV:propertyupdate body');
    const update = readPropertyUpdate(root.children, this.properties, settings.limits['davmesh.limits.deadPropertyBytes']);
    if (update.refused.length === 0 && update.accepted.length > 0) {
      unwrap(await this.bus.request(ContactFoldersUpdate, { userId: user.userId, contextId: user.contextId, folderId: view.folder.folderId, ...update.change }));
    }
    const writer = startMultistatus(response);
    await writer.write(writer.response({ href: encodeHref(view.href), propstats: propertyUpdateStatus(update) }));
    writer.end();
  }
}
