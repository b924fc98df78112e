import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesRequest } from '@davmesh/bus';
import {
  CalendarNotificationsChanges,
  CalendarNotificationsDelete,
  CalendarNotificationsGet,
  CalendarNotificationsList,
  CalendarSharingRespond,
  CalendarSharingShare,
} from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { NotificationsService } from './notifications.service';
import { SharingService } from './sharing.service';

/** Bus entry points of calendarserver-sharing: invitations, replies and the notification collections. */
@Controller()
export class SharingHandler {
  constructor(
    @Inject(SharingService) private readonly sharing: SharingService,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesRequest(CalendarSharingShare)
  share(@Payload() payload: unknown) {
    return handleRequest(CalendarSharingShare, payload, this.logger, (r) => this.sharing.change(r));
  }

  @HandlesRequest(CalendarSharingRespond)
  reply(@Payload() payload: unknown) {
    return handleRequest(CalendarSharingRespond, payload, this.logger, (r) => this.sharing.respond(r));
  }

  @HandlesRequest(CalendarNotificationsList)
  list(@Payload() payload: unknown) {
    return handleRequest(CalendarNotificationsList, payload, this.logger, (r) => this.notifications.list(r.userId, r.after, r.limit));
  }

  @HandlesRequest(CalendarNotificationsGet)
  get(@Payload() payload: unknown) {
    return handleRequest(CalendarNotificationsGet, payload, this.logger, (r) => this.notifications.get(r.userId, r.names));
  }

  @HandlesRequest(CalendarNotificationsDelete)
  delete(@Payload() payload: unknown) {
    return handleRequest(CalendarNotificationsDelete, payload, this.logger, (r) => this.notifications.delete(r.userId, r.name, r.precondition));
  }

  @HandlesRequest(CalendarNotificationsChanges)
  changes(@Payload() payload: unknown) {
    return handleRequest(CalendarNotificationsChanges, payload, this.logger, (r) => this.notifications.changes(r.userId, r.sinceRevision, r.limit));
  }
}
