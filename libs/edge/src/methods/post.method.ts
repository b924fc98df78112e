import { Inject, Injectable } from '@nestjs/common';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { DAV_POST_TARGETS, type PostTarget } from '../resources/adapters';
import { type ResourceKind } from '../resources/resource';
import { type DavMethod } from './dav-method';

/** POST to a resource that takes one (the schedule outbox); what it means is the target's. */
@Injectable()
export class PostMethod implements DavMethod {
  readonly method = 'POST';
  readonly kinds: readonly ResourceKind[];

  constructor(@Inject(DAV_POST_TARGETS) private readonly targets: PostTarget[]) {
    this.kinds = targets.flatMap((t) => t.kinds);
  }

  async handle(exchange: DavExchange): Promise<void> {
    const target = this.targets.find((t) => t.kinds.includes(exchange.resource.kind));
    if (!target) throw new DavHttpError(405, 'POST is not allowed on this resource');
    await target.receive(exchange);
  }
}
