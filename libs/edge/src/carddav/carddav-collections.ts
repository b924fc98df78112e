import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactFoldersCreate, ContactFoldersDelete, ContactFoldersUpdate, ContactSyncChanges, type ContactChange, type ContactObject, type SyncPosition } from '@davmesh/contracts';
import { carddav, type XmlElement } from '@davmesh/dav';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { unwrap } from '../http/reply-errors';
import { type CollectionUpdate } from '../properties/collection-update';
import { type PropertyContext } from '../properties/property';
import { addressbookReportProps, type AddressbookMemberProps } from './addressbook-report-props';
import { objectContext } from './contact-context';
import { initialSyncMembers } from '../reports/sync-request';
import { encodeSyncToken } from '../reports/sync-token';
import { renderedMembersKey, type CollectionStore, type MemberCollection, type MemberQuery, type SyncQuery } from '../resources/adapters';
import { CarddavResources } from './carddav-resources';
import { type AddressbookView, type CarddavScope } from './carddav-scope';

/** Address books as DELETE, multiget and sync-collection see them, the aggregated one included. */
@Injectable()
export class CarddavCollections implements CollectionStore<AddressbookMemberProps> {
  readonly kinds = ['addressbook', 'aggregated-addressbook'] as const;
  readonly multiget = carddav('addressbook-multiget');
  readonly deletable = ['addressbook'] as const;
  readonly updatable = ['addressbook'] as const;
  readonly creatable = 'addressbook';
  readonly creationMethods = ['MKCOL'];
  /** A plain MKCOL makes an address book too. */
  readonly mkcolResourcetype = 'optional';

  constructor(
    @Inject(CarddavResources) private readonly resources: CarddavResources,
    @Inject(BusClient) private readonly bus: BusClient,
  ) {}

  /** Only an address book the user made; deleting one lists afresh: the folder id it names must be the current one. */
  async delete(exchange: DavExchange): Promise<void> {
    const { user } = exchange;
    const view = this.resources.collection(await this.resources.open(exchange), exchange.resource);
    if (!view.folder) throw new DavHttpError(403, 'this collection cannot be deleted');
    unwrap(await this.bus.request(ContactFoldersDelete, { userId: user.userId, contextId: user.contextId, folderId: view.folder.folderId }));
  }

  /** displayname, addressbook-description and dead properties, of an address book that is a folder. */
  async forUpdate(exchange: DavExchange): Promise<{ href: string; apply(update: CollectionUpdate): Promise<void> }> {
    const { user } = exchange;
    const view = this.resources.collection(await this.resources.open(exchange), exchange.resource);
    const folder = view.folder;
    if (!folder) throw new DavHttpError(403, 'this collection has no properties to change');
    const apply = async ({ change: { displayName, description }, setDead, removeDead }: CollectionUpdate) => {
      const request = {
        userId: user.userId,
        contextId: user.contextId,
        folderId: folder.folderId,
        ...(displayName === undefined ? {} : { displayName }),
        ...(description === undefined ? {} : { description }),
        setDead,
        removeDead,
      };
      unwrap(await this.bus.request(ContactFoldersUpdate, request));
    };
    return { href: view.href, apply };
  }

  /** With displayname, description and dead properties. */
  async forCreation(exchange: DavExchange): Promise<(update: CollectionUpdate) => Promise<Record<string, string>>> {
    const { resource, user } = exchange;
    const segment = resource.kind === 'addressbook' ? resource.segment : '';
    if ((await this.resources.open(exchange)).find(segment)) throw new DavHttpError(405, 'the address book exists already');
    return async ({ change: { displayName, description }, setDead }) => {
      const request = {
        userId: user.userId,
        contextId: user.contextId,
        slug: segment,
        ...(displayName ? { displayName } : {}),
        ...(description ? { description } : {}),
        ...(setDead.length > 0 ? { dead: setDead } : {}),
      };
      unwrap(await this.bus.request(ContactFoldersCreate, request));
      return {};
    };
  }

  readProps(body: XmlElement): AddressbookMemberProps {
    return addressbookReportProps(body);
  }

  async open(exchange: DavExchange): Promise<MemberCollection<MemberQuery, AddressbookMemberProps>> {
    const scope = await this.resources.openFor(exchange);
    const view = this.resources.collection(scope, exchange.resource);
    return { href: view.href, config: scope.config, query: (props) => this.query(scope, view, props) };
  }

  /** The token holds each member folder's revision, so an incremental sync returns exactly the members' changes. */
  async openForSync(exchange: DavExchange, since: SyncPosition | undefined): Promise<MemberCollection<SyncQuery, AddressbookMemberProps>> {
    // An initial sync answers with the revisions its folder listing shows: listed afresh, as for PROPFIND.
    let scope = since ? await this.resources.openFor(exchange) : await this.resources.open(exchange);
    let view = this.resources.collection(scope, exchange.resource);
    // A token naming a folder the (maybe cached) aggregated book lacks is checked against a fresh listing.
    if (Object.keys(since ?? {}).some((id) => !view.folderIds.includes(Number(id)))) {
      scope = await this.resources.open(exchange);
      view = this.resources.collection(scope, exchange.resource);
    }
    const { user } = exchange;
    const exists = (c: ContactChange): c is Required<ContactChange> => c.etag !== undefined && c.lastModified !== undefined;
    return {
      href: view.href,
      config: scope.config,
      query: (props) => {
        const query = this.query(scope, view, props);
        return {
          ...query,
          changes: async (limit, listingLimit) => {
            const listed = listingLimit ? await initialSyncMembers(this.resources.objects(scope, view), listingLimit) : undefined;
            if (listed) {
              return {
                changes: () => listed.map((contact) => ({ name: contact.name, context: query.contextOf(contact) })),
                truncated: false,
                syncToken: view.syncToken,
                membersKey: renderedMembersKey(user, view, this.resources.listingKey(scope, view)),
              };
            }
            const result = unwrap(await this.bus.request(ContactSyncChanges, { userId: user.userId, contextId: user.contextId, folderIds: view.folderIds, since, limit }));
            return {
              changes: () => result.changes.map((change) => (exists(change) ? { name: change.name, context: query.contextOf({ ...change, uid: '' }) } : { name: change.name })),
              truncated: result.truncated,
              syncToken: encodeSyncToken(result.position),
            };
          },
        };
      },
    };
  }

  private query(scope: CarddavScope, view: AddressbookView, { addressDataVersion }: AddressbookMemberProps): MemberQuery & { contextOf: (contact: ContactObject) => PropertyContext } {
    const contextOf = (contact: ContactObject) => objectContext(scope, view, contact, addressDataVersion);
    const resources = this.resources;
    return {
      contextOf,
      async *pages(names) {
        for await (const contacts of resources.pages(scope.user, view, names)) yield contacts.map((contact) => ({ name: contact.name, context: contextOf(contact) }));
      },
    };
  }
}
