import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesEvent, parseEvent } from '@davmesh/bus';
import { ConfigChanged } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { ServerSettingsService } from './server-settings.service';
import { UserConfigService } from './user-config.service';

/** Every edge node hears every configuration change and drops what it affects. */
@Controller()
export class ConfigEventsHandler {
  constructor(
    @Inject(UserConfigService) private readonly userConfig: UserConfigService,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesEvent(ConfigChanged)
  onChanged(@Payload() payload: unknown): void {
    const event = parseEvent(ConfigChanged, payload, this.logger);
    if (!event) return;
    this.userConfig.onChanged(event);
    this.serverSettings.onChanged(event);
  }
}
