import { Inject, Injectable } from '@nestjs/common';
import { type DavExchange } from '../http/dav-exchange';
import { DAV_ADAPTERS, memberStoreOf, type DavAdapter } from '../resources/adapters';
import { type ResourceKind } from '../resources/resource';
import { type DavMethod } from './dav-method';

/** DELETE a member (If-Match decided in the owning service's transaction) or a collection its protocol lets go. */
@Injectable()
export class DeleteMethod implements DavMethod {
  readonly method = 'DELETE';
  readonly kinds: readonly ResourceKind[];

  constructor(@Inject(DAV_ADAPTERS) private readonly adapters: DavAdapter[]) {
    this.kinds = adapters.flatMap((a) => [a.members.kind, ...a.collections.deletable]);
  }

  async handle(exchange: DavExchange): Promise<void> {
    const { response, resource } = exchange;
    const collections = this.adapters.find((a) => a.collections.deletable.includes(resource.kind))?.collections;
    if (collections) await collections.delete(exchange);
    else {
      const { store, member } = memberStoreOf(this.adapters, resource);
      await store.delete(exchange, member);
    }
    response.statusCode = 204;
    response.setHeader('Content-Length', '0');
    response.end();
  }
}
