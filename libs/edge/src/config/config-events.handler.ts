import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesEvent, parseEvent } from '@davmesh/bus';
import { ConfigChanged } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { ServerSettingsService } from './server-settings.service';

/** Server-wide settings change with the server files; per-user values are the config client's. */
@Controller()
export class ConfigEventsHandler {
  constructor(
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesEvent(ConfigChanged)
  onChanged(@Payload() payload: unknown): void {
    const event = parseEvent(ConfigChanged, payload, this.logger);
    if (event) this.serverSettings.onChanged(event);
  }
}
