import { dav, el, encodeHref, type XmlElement, Condition } from '@davmesh/dav';
import { renderedPages, type RenderedMemberListings } from '../caches/member-listing-cache';
import { type DavExchange } from '../http/dav-exchange';
import { minimalAnswer } from '../http/dav-headers';
import { type PropertyContext } from '../properties/property';
import { type PropertyRenderer } from '../properties/property-renderer';
import { type CollectionStore, type MemberProps } from '../resources/adapters';
import { type ResourceKind } from '../resources/resource';
import { type DavReport } from './dav-report';
import { startMultistatus } from './report-request';
import { readSyncRequest, type SyncRequest } from './sync-request';

/** A sync-collection body: from where, at most how many, and what to say of each member. */
export interface SyncCollectionRequest extends SyncRequest {
  props: MemberProps;
}

/**
 * RFC 6578 on a protocol's collections; the adapter decides what a token holds and which are
 * its own. Depth is ignored (Thunderbird sends 1). More changes than `limit/nresults` (or one
 * page) end with a 507 response for the collection and a token to go on from, as DAVx5 expects.
 * An initial sync answers every member at once from the collection's member listing when it
 * holds no more than `INITIAL_SYNC_PAGE`.
 */
export class SyncCollectionReport implements DavReport<SyncCollectionRequest> {
  readonly name = dav('sync-collection');
  readonly kinds: readonly ResourceKind[];

  constructor(
    private readonly collections: CollectionStore,
    private readonly renderer: PropertyRenderer,
    private readonly rendered: RenderedMemberListings,
  ) {
    this.kinds = collections.kinds;
  }

  read(body: XmlElement): SyncCollectionRequest {
    return { ...readSyncRequest(body), props: this.collections.readProps(body) };
  }

  async run(exchange: DavExchange, { since, limit, listingLimit, props }: SyncCollectionRequest): Promise<void> {
    const { request, response } = exchange;
    const collection = await this.collections.openForSync(exchange, since);
    const query = collection.query(props);
    const { changes, truncated, syncToken, membersKey } = await query.changes(limit, listingLimit);
    const minimal = minimalAnswer(request, response);
    const writer = startMultistatus(response);
    const describe = (context: PropertyContext) => writer.response(this.renderer.describe(context, props.propfind, minimal));
    if (membersKey && !props.wantsData) {
      const render = async function* () {
        yield [changes().map((change) => (change.context ? describe(change.context) : '')).join('')];
      };
      for await (const page of renderedPages(this.rendered, membersKey, props.propfind, minimal, render)) for (const xml of page) await writer.write(xml);
      writer.end([el(dav('sync-token'), syncToken)]);
      return;
    }
    // With data, the members arrive a bus reply's worth at a time; one deleted meanwhile is described from the change list.
    const described = new Set<string>();
    const changeList = changes();
    if (props.wantsData) {
      for await (const members of query.pages(changeList.filter((c) => c.context).map((c) => c.name))) {
        for (const member of members) {
          described.add(member.name);
          await writer.write(describe(member.context));
        }
      }
    }
    for (const change of changeList) {
      if (described.has(change.name)) continue;
      await writer.write(change.context ? describe(change.context) : writer.status(encodeHref(`${collection.href}${change.name}`), 404));
    }
    if (truncated) await writer.write(writer.status(encodeHref(collection.href), 507, el(Condition.NumberOfMatchesWithinLimits)));
    writer.end([el(dav('sync-token'), syncToken)]);
  }
}
