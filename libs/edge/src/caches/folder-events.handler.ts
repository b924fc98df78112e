import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesEvent, parseEvent } from '@davmesh/bus';
import { CalendarFolderChanged, ContactFolderChanged, UserChanged } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { CalendarFolderCache } from '../caldav/calendar-folder-cache';
import { ContactFolderCache } from '../carddav/contact-folder-cache';

/** Every edge node hears every calendar folder, address book and directory change and forgets the listings they touch. */
@Controller()
export class FolderEventsHandler {
  constructor(
    @Inject(CalendarFolderCache) private readonly calendars: CalendarFolderCache,
    @Inject(ContactFolderCache) private readonly addressbooks: ContactFolderCache,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesEvent(CalendarFolderChanged)
  onCalendarFolderChanged(@Payload() payload: unknown): void {
    const event = parseEvent(CalendarFolderChanged, payload, this.logger);
    if (event) this.calendars.onFolderChanged(event);
  }

  @HandlesEvent(ContactFolderChanged)
  onContactFolderChanged(@Payload() payload: unknown): void {
    const event = parseEvent(ContactFolderChanged, payload, this.logger);
    if (event) this.addressbooks.onFolderChanged(event);
  }

  @HandlesEvent(UserChanged)
  onUserChanged(@Payload() payload: unknown): void {
    const event = parseEvent(UserChanged, payload, this.logger);
    if (event) this.addressbooks.onUserChanged(event);
  }
}
