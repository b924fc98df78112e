import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesEvent, parseEvent } from '@davmesh/bus';
import { ConfigChanged } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { UserConfigService } from './user-config.service';

/** Every edge node hears every configuration change and drops what it affects. */
@Controller()
export class ConfigEventsHandler {
  constructor(
    @Inject(UserConfigService) private readonly userConfig: UserConfigService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesEvent(ConfigChanged)
  onChanged(@Payload() payload: unknown): void {
    const event = parseEvent(ConfigChanged, payload, this.logger);
    if (event) this.userConfig.onChanged(event);
  }
}
