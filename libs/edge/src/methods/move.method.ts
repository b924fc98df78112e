import { Inject, Injectable } from '@nestjs/common';
import { ServerSettingsService } from '../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { DAV_ADAPTERS, memberStoreOf, type DavAdapter } from '../resources/adapters';
import { resolveDestination } from '../resources/destination';
import { type ResourceKind } from '../resources/resource';
import { type DavMethod } from './dav-method';
import { answerStored } from './put.method';

/** MOVE a member to another collection (or name) of the same user and protocol. */
@Injectable()
export class MoveMethod implements DavMethod {
  readonly method = 'MOVE';
  readonly kinds: readonly ResourceKind[];

  constructor(
    @Inject(DAV_ADAPTERS) private readonly adapters: DavAdapter[],
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {
    this.kinds = adapters.map((a) => a.members.kind);
  }

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response } = exchange;
    const { store, member } = memberStoreOf(this.adapters, exchange.resource);
    const settings = await this.serverSettings.current();
    const destination = resolveDestination(request, settings.prefix, settings.proxyPrefix);
    if (destination?.kind !== member.kind) throw new DavHttpError(400, store.messages.badDestination);
    const overwrite = String(request.headers['overwrite'] ?? 'T').toUpperCase() !== 'F';
    answerStored(response, await store.move(exchange, member, destination, overwrite));
  }
}
