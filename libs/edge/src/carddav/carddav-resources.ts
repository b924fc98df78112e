import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactObjectsGet, ContactObjectsList, type ContactObject, type User } from '@davmesh/contracts';
import { type DavExchange } from '../http/dav-exchange';
import { collectPages } from '../resources/adapters';
import { cachedPages, ContactMemberListings } from '../caches/member-listing-cache';
import { DavResources } from '../resources/dav-scope';
import { AGGREGATED_SEGMENT, type Resource } from '../resources/resource';
import { CarddavScopes, type AddressbookView, type CarddavScope } from './carddav-scope';
import { unwrap } from '../http/reply-errors';

const GET_BATCH = 50;

/** Looks up what a CardDAV path names for this user, and reads objects page by page. */
@Injectable()
export class CarddavResources extends DavResources<AddressbookView, CarddavScope> {
  protected readonly missing = 'no such address book';

  constructor(
    @Inject(CarddavScopes) readonly scopes: CarddavScopes,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(ContactMemberListings) private readonly listings: ContactMemberListings,
  ) {
    super();
  }

  open(exchange: DavExchange, reuse?: string[]): Promise<CarddavScope> {
    return this.scopes.open(exchange.request, exchange.user, exchange.prefix, reuse);
  }

  protected segmentOf(resource: Resource): string | undefined {
    if (resource.kind === 'aggregated-addressbook') return AGGREGATED_SEGMENT;
    return resource.kind === 'addressbook' || resource.kind === 'contact' ? resource.segment : undefined;
  }

  async object(exchange: DavExchange, scope: CarddavScope): Promise<{ view: AddressbookView; object: ContactObject | undefined }> {
    const view = this.collection(scope, exchange.resource);
    const name = exchange.resource.kind === 'contact' ? exchange.resource.name : '';
    const [object] = await this.getMany(scope.user, view, [name]);
    return { view, object };
  }

  /** The named objects of a collection with their vCards, collected: for a few names (GET, a rendered href). */
  getMany(user: User, view: AddressbookView, names: string[]): Promise<ContactObject[]> {
    return collectPages(this.pages(user, view, names));
  }

  /**
   * The named objects with their vCards, one bus reply at a time: a reply carries, in name
   * order, as many as fit in one message; the names after its last one are asked for again.
   */
  async *pages(user: User, view: AddressbookView, names: string[]): AsyncGenerator<ContactObject[]> {
    for (let i = 0; i < names.length; i += GET_BATCH) {
      let remaining = names.slice(i, i + GET_BATCH);
      while (remaining.length > 0) {
        const batch = unwrap(
          await this.bus.request(ContactObjectsGet, { userId: user.userId, contextId: user.contextId, folderIds: view.folderIds, names: remaining }),
        );
        if (batch.length === 0) break;
        yield batch;
        const got = new Set(batch.map((o) => o.name));
        remaining = remaining.filter((n) => !got.has(n) && n > batch[batch.length - 1].name);
      }
    }
  }

  /**
   * Every object of a collection without its vCard, one bus page at a time (a big collection
   * never sits in memory), or from this node's member listings when the revisions of the
   * collection's folders, as this request listed them (its sync token), are those of a listing
   * kept there.
   */
  objects(scope: CarddavScope, view: AddressbookView): AsyncIterable<readonly ContactObject[]> {
    const list = () => this.listObjects(scope.user, view);
    const key = this.listingKey(scope, view);
    return key ? cachedPages(this.listings, key, list) : list();
  }

  /** What names the collection's members as this request sees them, when it listed the folders afresh. */
  listingKey(scope: CarddavScope, view: AddressbookView): string | undefined {
    return scope.listedAfresh && `${scope.user.contextId} ${view.syncToken}`;
  }

  private async *listObjects(user: User, view: AddressbookView): AsyncGenerator<ContactObject[]> {
    const withData = false;
    let cursor: string | undefined;
    do {
      const page = unwrap(
        await this.bus.request(ContactObjectsList, { userId: user.userId, contextId: user.contextId, folderIds: view.folderIds, withData, cursor }),
      );
      yield page.items;
      cursor = page.cursor;
    } while (cursor);
  }
}
