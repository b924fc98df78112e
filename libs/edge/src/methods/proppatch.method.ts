import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactFoldersUpdate } from '@davmesh/contracts';
import { carddav, childrenNamed, dav, encodeHref, parseXml, sameName, XmlParseError, type PropValue, type QName } from '@davmesh/dav';
import { CarddavResources } from '../carddav/carddav-resources';
import { unwrap } from '../carddav/reply-errors';
import { EDGE_OPTIONS, type EdgeOptions } from '../edge-options';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { readBody } from '../http/request-body';
import { PropertyRegistry } from '../properties/property-registry';
import { startMultistatus } from '../reports/report-request';
import { type DavMethod } from './dav-method';

/** PROPPATCH displayname and addressbook-description of an address book; all or nothing (RFC 4918 9.2). */
@Injectable()
export class ProppatchMethod implements DavMethod {
  readonly method = 'PROPPATCH';
  readonly kinds = ['addressbook'] as const;

  constructor(
    @Inject(CarddavResources) private readonly carddav: CarddavResources,
    @Inject(PropertyRegistry) private readonly properties: PropertyRegistry,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(EDGE_OPTIONS) private readonly options: EdgeOptions,
  ) {}

  async handle({ request, response, resource, user, prefix }: DavExchange): Promise<void> {
    const scope = await this.carddav.scopes.open(request, user, prefix);
    const view = this.carddav.collection(scope, resource);
    if (!view.folder) throw new DavHttpError(403, 'this collection has no properties to change');
    const root = await parseXml(await readBody(request, this.options.maxXmlBytes));
    if (!sameName(root.name, dav('propertyupdate'))) throw new XmlParseError('the root element must be DAV:propertyupdate');
    const change: { displayName?: string; description?: string | null } = {};
    const accepted: PropValue[] = [];
    const refused: PropValue[] = [];
    for (const instruction of root.children) {
      const remove = sameName(instruction.name, dav('remove'));
      for (const prop of childrenNamed(instruction, dav('prop')).flatMap((p) => p.children)) {
        const name: QName = prop.name;
        const live = this.properties.find(name, resource.kind);
        if (sameName(name, dav('displayname')) && !remove && prop.text.trim() !== '') change.displayName = prop.text;
        else if (sameName(name, carddav('addressbook-description'))) change.description = remove ? null : prop.text;
        else {
          refused.push({ name });
          continue;
        }
        if (live?.protected) refused.push({ name });
        else accepted.push({ name });
      }
    }
    const failed = refused.length > 0;
    if (!failed && accepted.length > 0) {
      unwrap(await this.bus.request(ContactFoldersUpdate, { userId: user.userId, contextId: user.contextId, folderId: view.folder.folderId, ...change }));
    }
    const writer = startMultistatus(response);
    response.write(
      writer.response({
        href: encodeHref(view.href),
        propstats: [
          { status: failed ? 424 : 200, props: accepted },
          { status: 403, props: refused },
        ],
      }),
    );
    response.end(writer.close());
  }
}
