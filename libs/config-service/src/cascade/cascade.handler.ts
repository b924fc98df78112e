import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesBroadcast, HandlesRequest } from '@davmesh/bus';
import { ConfigExplain, ConfigFilesReload, ConfigGet, ConfigResolve, ConfigServerValues, ConfigSet, ConfigUnset, type ConfigChangedEvent } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { CacheInvalidator } from '../caches/cache-invalidator';
import { CascadeService } from './cascade.service';
import { ServerConfigHolder } from './server-config.holder';
import { type StoredScope } from './stored-values.repository';

function scopeOf(r: { contextId?: number; userId?: number }): [StoredScope, number] {
  return r.userId !== undefined ? ['user', r.userId] : ['context', r.contextId!];
}

function changeOf(r: { contextId?: number; userId?: number }, revision: number): ConfigChangedEvent {
  return r.userId !== undefined ? { revision, scope: 'user', userId: r.userId } : { revision, scope: 'context', contextId: r.contextId };
}

@Controller()
export class CascadeHandler {
  constructor(
    @Inject(CascadeService) private readonly cascade: CascadeService,
    @Inject(CacheInvalidator) private readonly caches: CacheInvalidator,
    @Inject(ServerConfigHolder) private readonly files: ServerConfigHolder,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesRequest(ConfigResolve)
  resolve(@Payload() payload: unknown) {
    return handleRequest(ConfigResolve, payload, this.logger, (r) => this.cascade.resolve(r.userId));
  }

  @HandlesRequest(ConfigServerValues)
  serverValues(@Payload() payload: unknown) {
    return handleRequest(ConfigServerValues, payload, this.logger, () => this.cascade.serverValues());
  }

  /** Every replica answers: each reads its own copy of the directory. */
  @HandlesBroadcast(ConfigFilesReload)
  reloadFiles(@Payload() payload: unknown) {
    return handleRequest(ConfigFilesReload, payload, this.logger, () => this.files.filesState());
  }

  @HandlesRequest(ConfigExplain)
  explain(@Payload() payload: unknown) {
    return handleRequest(ConfigExplain, payload, this.logger, (r) => this.cascade.explain(r.userId, r.key));
  }

  @HandlesRequest(ConfigGet)
  get(@Payload() payload: unknown) {
    return handleRequest(ConfigGet, payload, this.logger, (r) => this.cascade.get(...scopeOf(r)));
  }

  /** Answers once no caching node can serve the value it replaced (docs/caching.md). */
  @HandlesRequest(ConfigSet)
  set(@Payload() payload: unknown) {
    return handleRequest(ConfigSet, payload, this.logger, async (r) => {
      const result = await this.cascade.set(...scopeOf(r), r.key, r.value);
      await this.caches.invalidate({ config: changeOf(r, result.revision) });
      return result;
    });
  }

  @HandlesRequest(ConfigUnset)
  unset(@Payload() payload: unknown) {
    return handleRequest(ConfigUnset, payload, this.logger, async (r) => {
      const result = await this.cascade.unset(...scopeOf(r), r.key);
      if (result.removed) await this.caches.invalidate({ config: changeOf(r, result.revision) });
      return result;
    });
  }
}
