import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesEvent, parseEvent } from '@davmesh/bus';
import { ConfigCacheNodeStarted } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { CacheInvalidator } from './cache-invalidator';

/** Every config replica hears a caching node start and waits for it on the next write. */
@Controller()
export class CacheNodesHandler {
  constructor(
    @Inject(CacheInvalidator) private readonly invalidator: CacheInvalidator,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesEvent(ConfigCacheNodeStarted)
  onStarted(@Payload() payload: unknown): void {
    const node = parseEvent(ConfigCacheNodeStarted, payload, this.logger);
    if (node) this.invalidator.leases.renew(node);
  }
}
