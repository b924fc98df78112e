import { Inject, Injectable } from '@nestjs/common';
import { sendRepresentation } from '../http/conditional-headers';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { DAV_ADAPTERS, memberStoreOf, type DavAdapter } from '../resources/adapters';
import { type ResourceKind } from '../resources/resource';
import { type DavMethod } from './dav-method';

/** GET a member as its protocol represents it, with a strong ETag and Last-Modified; 304 and 412 as its conditions say. */
@Injectable()
export class GetMethod implements DavMethod {
  readonly method: string = 'GET';
  readonly kinds: readonly ResourceKind[];

  constructor(@Inject(DAV_ADAPTERS) private readonly adapters: DavAdapter[]) {
    this.kinds = adapters.map((a) => a.members.kind);
  }

  async handle(exchange: DavExchange): Promise<void> {
    const { store } = memberStoreOf(this.adapters, exchange.resource);
    const representation = await store.read(exchange);
    if (!representation) throw new DavHttpError(404, store.messages.notFound);
    sendRepresentation(exchange, representation);
  }
}

@Injectable()
export class HeadMethod extends GetMethod {
  override readonly method = 'HEAD';
}
