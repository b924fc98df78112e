import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesEvent, parseEvent } from '@davmesh/bus';
import { UserChanged } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { Authenticator } from './authenticator';

/** Every edge node hears every directory change and forgets the logins it affects. */
@Controller()
export class DirectoryEventsHandler {
  constructor(
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesEvent(UserChanged)
  onUserChanged(@Payload() payload: unknown): void {
    const event = parseEvent(UserChanged, payload, this.logger);
    if (!event) return;
    const evicted = this.authenticator.cache.evictUser(event.userId, event.version);
    this.logger.debug({ userId: event.userId, change: event.change, evicted }, 'directory change seen');
  }
}
