import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesEvent, parseEvent } from '@davmesh/bus';
import { UserChanged } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { GalService } from './gal.service';

/** Every contacts replica hears every directory change and brings the global address list up to date. */
@Controller()
export class DirectoryEventsHandler {
  constructor(
    @Inject(GalService) private readonly gal: GalService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesEvent(UserChanged)
  async onUserChanged(@Payload() payload: unknown): Promise<void> {
    const event = parseEvent(UserChanged, payload, this.logger);
    if (!event) return;
    try {
      await this.gal.onUserChanged(event);
    } catch (error) {
      this.logger.error({ err: error, userId: event.userId }, 'could not update the global address list');
    }
  }
}
