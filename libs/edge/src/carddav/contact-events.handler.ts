import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesEvent, parseEvent } from '@davmesh/bus';
import { ContactFolderChanged, UserChanged } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { ContactFolderCache } from './contact-folder-cache';

/** Every edge node hears every address book and directory change and forgets the listings they touch. */
@Controller()
export class ContactEventsHandler {
  constructor(
    @Inject(ContactFolderCache) private readonly folders: ContactFolderCache,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesEvent(ContactFolderChanged)
  onFolderChanged(@Payload() payload: unknown): void {
    const event = parseEvent(ContactFolderChanged, payload, this.logger);
    if (event) this.folders.onFolderChanged(event);
  }

  @HandlesEvent(UserChanged)
  onUserChanged(@Payload() payload: unknown): void {
    const event = parseEvent(UserChanged, payload, this.logger);
    if (event) this.folders.onUserChanged(event);
  }
}
