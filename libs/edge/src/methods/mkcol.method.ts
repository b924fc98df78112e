import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactFoldersCreate } from '@davmesh/contracts';
import { carddav, dav, firstChild, parseXml, XmlParseError } from '@davmesh/dav';
import { CarddavResources } from '../carddav/carddav-resources';
import { preconditionError, unwrap } from '../carddav/reply-errors';
import { EDGE_OPTIONS, type EdgeOptions } from '../edge-options';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { readBody } from '../http/request-body';
import { type DavMethod } from './dav-method';

/** Extended MKCOL (RFC 5689) of an address book in the home; a plain MKCOL makes one too. */
@Injectable()
export class MkcolMethod implements DavMethod {
  readonly method = 'MKCOL';
  readonly kinds = ['addressbook'] as const;

  constructor(
    @Inject(CarddavResources) private readonly carddav: CarddavResources,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(EDGE_OPTIONS) private readonly options: EdgeOptions,
  ) {}

  async handle({ request, response, resource, user, prefix }: DavExchange): Promise<void> {
    if (resource.kind !== 'addressbook') return;
    const scope = await this.carddav.scopes.open(request, user, prefix);
    if (scope.find(resource.segment)) throw new DavHttpError(405, 'the address book exists already');
    const text = await readBody(request, this.options.maxXmlBytes);
    let displayName: string | undefined;
    let description: string | undefined;
    if (text.trim() !== '') {
      const root = await parseXml(text);
      if (root.name.ns !== 'DAV:' || root.name.local !== 'mkcol') throw new XmlParseError('the root element must be DAV:mkcol');
      const prop = firstChild(firstChild(root, dav('set')) ?? root, dav('prop'));
      const resourcetype = prop && firstChild(prop, dav('resourcetype'));
      if (resourcetype && !firstChild(resourcetype, carddav('addressbook'))) throw preconditionError(403, dav('valid-resourcetype'));
      displayName = (prop && firstChild(prop, dav('displayname'))?.text) || undefined;
      description = (prop && firstChild(prop, carddav('addressbook-description'))?.text) || undefined;
    }
    unwrap(
      await this.bus.request(ContactFoldersCreate, {
        userId: user.userId,
        contextId: user.contextId,
        slug: resource.segment,
        ...(displayName ? { displayName } : {}),
        ...(description ? { description } : {}),
      }),
    );
    response.statusCode = 201;
    response.setHeader('Content-Length', '0');
    response.end();
  }
}
