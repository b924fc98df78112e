import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesEvent, parseEvent } from '@davmesh/bus';
import { CalendarFolderChanged } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { CalendarFolderCache } from './calendar-folder-cache';

/** Every edge node hears every calendar folder change and forgets the listings that hold it. */
@Controller()
export class CalendarEventsHandler {
  constructor(
    @Inject(CalendarFolderCache) private readonly folders: CalendarFolderCache,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesEvent(CalendarFolderChanged)
  onFolderChanged(@Payload() payload: unknown): void {
    const event = parseEvent(CalendarFolderChanged, payload, this.logger);
    if (event) this.folders.onFolderChanged(event);
  }
}
