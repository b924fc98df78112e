import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactObjectsDelete, ContactObjectsMove, ContactObjectsPut, type User } from '@davmesh/contracts';
import { Condition } from '@davmesh/dav';
import { convertVCard, vcardVersionOf } from '@davmesh/vcard';
import { ServerSettingsService } from '../config/server-settings.service';
import { representationEtag, writePrecondition, type Representation } from '../http/conditional-headers';
import { type DavExchange } from '../http/dav-exchange';
import { unwrap } from '../http/reply-errors';
import { type MemberResource, type MemberStore, type StoredMember } from '../resources/adapters';
import { CarddavResources } from './carddav-resources';
import { acceptedVersion, isVCardMediaType, MAX_VCARD_BYTES } from './vcard-media';

/** Contacts as the WebDAV methods read, write, delete and move them, over the contacts service. */
@Injectable()
export class CarddavMembers implements MemberStore {
  readonly kind = 'contact';
  readonly messages = { notFound: 'no such contact', badDestination: 'Destination must name a contact resource' };
  readonly body = { accepts: isVCardMediaType, unsupported: Condition.SupportedAddressData, maxBytes: MAX_VCARD_BYTES, tooLarge: Condition.AddressbookMaxResourceSize };

  constructor(
    @Inject(CarddavResources) private readonly resources: CarddavResources,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  /** Converted to the vCard version the Accept header asks for; a strong ETag for the bytes sent. */
  async read(exchange: DavExchange): Promise<Representation | undefined> {
    const scope = await this.resources.openFor(exchange);
    const { object } = await this.resources.object(exchange, scope);
    if (!object?.vcard) return undefined;
    const version = acceptedVersion(exchange.request);
    const converted = version !== undefined && version !== vcardVersionOf(object.vcard);
    // A converted body gets its own strong tag (DAVx5 needs one on GET); If-Match with it reaches the stored tag.
    return {
      etag: converted ? representationEtag(object.etag, `vcard${version.replace('.', '')}`) : object.etag,
      lastModified: object.lastModified,
      contentType: 'text/vcard; charset=utf-8',
      body: converted ? convertVCard(object.vcard, version) : object.vcard,
      headers: { Vary: 'Accept' },
    };
  }

  /** Into the aggregated collection a new vCard lands in the personal folder. */
  async writer(exchange: DavExchange, member: MemberResource): Promise<(vcard: string) => Promise<StoredMember>> {
    const { user } = exchange;
    const scope = await this.resources.openFor(exchange);
    const view = this.resources.collection(scope, member);
    return async (vcard) => {
      const { limits } = await this.serverSettings.current();
      return unwrap(
        await this.bus.request(ContactObjectsPut, {
          ...callerOf(user),
          folderId: view.targetFolderId,
          name: member.name,
          vcard,
          ...(view.kind === 'aggregated' ? { replaceIn: view.folderIds } : {}),
          precondition: writePrecondition(exchange),
          maxBytes: MAX_VCARD_BYTES,
          limits: { parameterLength: limits['davmesh.limits.parameterLength'], propertyLength: limits['davmesh.limits.propertyLength'] },
        }),
        scope.hrefOf,
      );
    };
  }

  /** If-Match is decided in the contacts service's transaction. */
  async delete(exchange: DavExchange, member: MemberResource): Promise<void> {
    const { user } = exchange;
    const view = this.resources.collection(await this.resources.openFor(exchange), member);
    const request = { ...callerOf(user), folderIds: view.folderIds, name: member.name, precondition: writePrecondition(exchange) };
    unwrap(await this.bus.request(ContactObjectsDelete, request));
  }

  /** To another address book (or name) of the same user. */
  async move(exchange: DavExchange, member: MemberResource, destination: MemberResource, overwrite: boolean): Promise<StoredMember> {
    const { user } = exchange;
    const scope = await this.resources.openFor(exchange, [member, destination]);
    const source = this.resources.collection(scope, member);
    const target = this.resources.collection(scope, destination);
    return unwrap(
      await this.bus.request(ContactObjectsMove, {
        ...callerOf(user),
        folderIds: source.folderIds,
        name: member.name,
        toFolderId: target.targetFolderId,
        toName: destination.name,
        overwrite,
        precondition: writePrecondition(exchange),
      }),
      scope.hrefOf,
    );
  }
}

function callerOf(user: User): { userId: number; contextId: number } {
  return { userId: user.userId, contextId: user.contextId };
}
