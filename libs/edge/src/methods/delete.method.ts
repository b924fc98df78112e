import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactFoldersDelete, ContactObjectsDelete } from '@davmesh/contracts';
import { CarddavResources } from '../carddav/carddav-resources';
import { unwrap } from '../carddav/reply-errors';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { writePrecondition } from '../http/conditional-headers';
import { type DavMethod } from './dav-method';

/** DELETE a contact (If-Match honoured in the service's transaction) or an address book the user made. */
@Injectable()
export class DeleteMethod implements DavMethod {
  readonly method = 'DELETE';
  readonly kinds = ['contact', 'addressbook'] as const;

  constructor(
    @Inject(CarddavResources) private readonly carddav: CarddavResources,
    @Inject(BusClient) private readonly bus: BusClient,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const { response, resource, user } = exchange;
    // Deleting an address book lists afresh: the folder id it names must be the current one.
    const scope = resource.kind === 'contact' ? await this.carddav.openFor(exchange) : await this.carddav.open(exchange);
    const view = this.carddav.collection(scope, resource);
    const caller = { userId: user.userId, contextId: user.contextId };
    if (resource.kind === 'contact') {
      unwrap(await this.bus.request(ContactObjectsDelete, { ...caller, folderIds: view.folderIds, name: resource.name, precondition: writePrecondition(exchange) }));
    } else {
      if (!view.folder) throw new DavHttpError(403, 'this collection cannot be deleted');
      unwrap(await this.bus.request(ContactFoldersDelete, { ...caller, folderId: view.folder.folderId }));
    }
    response.statusCode = 204;
    response.setHeader('Content-Length', '0');
    response.end();
  }
}
