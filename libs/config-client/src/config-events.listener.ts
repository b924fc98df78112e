import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesEvent, parseEvent } from '@davmesh/bus';
import { ConfigChanged } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { EffectiveConfigCache } from './effective-config.cache';

/** Every instance hears every configuration change and drops what it affects. */
@Controller()
export class ConfigEventsListener {
  constructor(
    @Inject(EffectiveConfigCache) private readonly cache: EffectiveConfigCache,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesEvent(ConfigChanged)
  onChanged(@Payload() payload: unknown): void {
    const event = parseEvent(ConfigChanged, payload, this.logger);
    if (event) this.cache.onChanged(event);
  }
}
