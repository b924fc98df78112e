import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesBroadcast, HandlesEvent, parseEvent } from '@davmesh/bus';
import { ConfigCachesInvalidate, ConfigCachesPresent, ConfigChanged, UserChanged } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { NodeCaches } from './node-caches';

/**
 * Every caching instance hears every configuration and directory change, and answers the
 * writers' roll-call and acknowledged invalidation for itself (no queue group).
 */
@Controller()
export class CacheInvalidationHandler {
  constructor(
    @Inject(NodeCaches) private readonly caches: NodeCaches,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesEvent(ConfigChanged)
  onConfigChanged(@Payload() payload: unknown): void {
    const event = parseEvent(ConfigChanged, payload, this.logger);
    if (event) this.caches.apply({ config: event });
  }

  @HandlesEvent(UserChanged)
  onUserChanged(@Payload() payload: unknown): void {
    const event = parseEvent(UserChanged, payload, this.logger);
    if (event) this.caches.apply({ user: event });
  }

  @HandlesBroadcast(ConfigCachesPresent)
  present(@Payload() payload: unknown) {
    return handleRequest(ConfigCachesPresent, payload, this.logger, async () => this.caches.node);
  }

  @HandlesBroadcast(ConfigCachesInvalidate)
  invalidate(@Payload() payload: unknown) {
    return handleRequest(ConfigCachesInvalidate, payload, this.logger, async (change) => {
      this.caches.apply(change);
      return this.caches.node;
    });
  }
}
