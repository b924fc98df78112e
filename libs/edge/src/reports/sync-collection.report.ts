import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactSyncChanges, type ContactChange, type ContactObject } from '@davmesh/contracts';
import { dav, el, encodeHref, type XmlElement } from '@davmesh/dav';
import { CarddavResources } from '../carddav/carddav-resources';
import { unwrap } from '../carddav/reply-errors';
import { encodeSyncToken } from '../carddav/sync-token';
import { EDGE_OPTIONS, type EdgeOptions } from '../edge-options';
import { type DavExchange } from '../http/dav-exchange';
import { wantsMinimal } from '../http/dav-headers';
import { PropertyRenderer } from '../properties/property-renderer';
import { type DavReport } from './dav-report';
import { objectContext, reportProps, startMultistatus } from './report-request';
import { readSyncRequest } from './sync-request';

const PAGE = 1000;

/**
 * RFC 6578 on every address book, the aggregated one included: the token holds each member
 * folder's revision, so an incremental sync returns exactly the members' changes. Depth is
 * ignored (Thunderbird sends 1). More than one page of changes ends with 507 and a token to go on.
 */
@Injectable()
export class SyncCollectionReport implements DavReport {
  readonly name = dav('sync-collection');
  readonly kinds = ['addressbook', 'aggregated-addressbook'] as const;

  constructor(
    @Inject(CarddavResources) private readonly carddav: CarddavResources,
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(EDGE_OPTIONS) private readonly options: EdgeOptions,
  ) {}

  async run(exchange: DavExchange, body: XmlElement): Promise<void> {
    const { request, response, resource, user } = exchange;
    const { since, limit } = readSyncRequest(body, PAGE);
    let scope = await this.carddav.openFor(exchange);
    let view = this.carddav.collection(scope, resource);
    // A token naming a folder the (maybe cached) aggregated book lacks is checked against a fresh listing.
    if (Object.keys(since ?? {}).some((id) => !view.folderIds.includes(Number(id)))) {
      scope = await this.carddav.open(exchange);
      view = this.carddav.collection(scope, resource);
    }
    const { propfind, addressDataVersion } = reportProps(body);
    const wantsData = propfind.kind === 'prop' && propfind.props.some((p) => p.local === 'address-data');
    const result = unwrap(
      await this.bus.request(ContactSyncChanges, { userId: user.userId, contextId: user.contextId, folderIds: view.folderIds, since, limit }),
    );
    const minimal = wantsMinimal(request);
    const writer = startMultistatus(response);
    const describe = (contact: ContactObject) => writer.response(this.renderer.describe(objectContext(scope, view, contact, addressDataVersion), propfind, minimal));
    const exists = (c: ContactChange): c is Required<ContactChange> => c.etag !== undefined && c.lastModified !== undefined;
    // With data, the vCards arrive a bus reply's worth at a time; one deleted meanwhile is described from the change list.
    const described = new Set<string>();
    if (wantsData) {
      const present = result.changes.filter(exists).map((c) => c.name);
      for await (const contacts of this.carddav.pages(user, view, present)) {
        for (const contact of contacts) {
          described.add(contact.name);
          await writer.write(describe(contact));
        }
      }
    }
    for (const change of result.changes) {
      if (described.has(change.name)) continue;
      const chunk = exists(change) ? describe({ ...change, uid: '' }) : writer.status(encodeHref(`${view.href}${change.name}`), 404);
      await writer.write(chunk);
    }
    if (result.truncated) await writer.write(writer.status(encodeHref(view.href), 507, el(dav('number-of-matches-within-limits'))));
    writer.end([el(dav('sync-token'), encodeSyncToken(result.position))]);
  }
}
