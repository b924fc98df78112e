import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesRequest } from '@davmesh/bus';
import { ConfigExplain, ConfigGet, ConfigResolve, ConfigServerValues, ConfigSet, ConfigUnset } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { CascadeService } from './cascade.service';
import { type StoredScope } from './stored-values.repository';

function scopeOf(r: { contextId?: number; userId?: number }): [StoredScope, number] {
  return r.userId !== undefined ? ['user', r.userId] : ['context', r.contextId!];
}

@Controller()
export class CascadeHandler {
  constructor(
    @Inject(CascadeService) private readonly cascade: CascadeService,
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

  @HandlesRequest(ConfigExplain)
  explain(@Payload() payload: unknown) {
    return handleRequest(ConfigExplain, payload, this.logger, (r) => this.cascade.explain(r.userId, r.key));
  }

  @HandlesRequest(ConfigGet)
  get(@Payload() payload: unknown) {
    return handleRequest(ConfigGet, payload, this.logger, (r) => this.cascade.get(...scopeOf(r)));
  }

  @HandlesRequest(ConfigSet)
  set(@Payload() payload: unknown) {
    return handleRequest(ConfigSet, payload, this.logger, (r) => this.cascade.set(...scopeOf(r), r.key, r.value));
  }

  @HandlesRequest(ConfigUnset)
  unset(@Payload() payload: unknown) {
    return handleRequest(ConfigUnset, payload, this.logger, (r) => this.cascade.unset(...scopeOf(r), r.key));
  }
}
