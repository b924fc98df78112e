import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigClientModule } from '@davmesh/config-client';
import { CalendarHealth } from '@davmesh/contracts';
import { healthHandlerFor, outboxProviders, StorageModule, type StorageTarget } from '@davmesh/storage';
import { CALENDAR_SCHEMA } from './schema';
import { CalendarHandler } from './calendar.handler';
import { ParsedObjects } from './objects/parsed-objects';
import { CalendarService } from './calendar.service';
import { CalendarUnitOfWork } from './calendar.unit-of-work';
import { FolderRepository } from './folders/folder.repository';
import { CalendarSchema1764000000000 } from './migrations/1764000000000-calendar-schema';
import { CalendarStore1764200000000 } from './migrations/1764200000000-calendar-store';
import { CalendarShares1766100000000 } from './migrations/1766100000000-calendar-shares';
import { CalendarTaskSpans1766200000000 } from './migrations/1766200000000-calendar-task-spans';
import { CalendarOutbox1766300000000 } from './migrations/1766300000000-calendar-outbox';
import { CalendarWriteOutcomes1766400000000 } from './migrations/1766400000000-calendar-write-outcomes';
import { CalendarDeadPropertyElements1766500000000 } from './migrations/1766500000000-calendar-dead-property-elements';
import { CalendarScheduleInbox1767000000000 } from './migrations/1767000000000-calendar-schedule-inbox';
import { CalendarImipOutgoing1767100000000 } from './migrations/1767100000000-calendar-imip-outgoing';
import { ImipHandler } from './imip/imip.handler';
import { ImipOutgoingRepository } from './imip/imip-outgoing.repository';
import { ImipOutcomes, ImipQueue } from './imip/imip-queue';
import { ImipReceiveService } from './imip/imip-receive.service';
import { ImipSender } from './imip/imip-sender';
import { ImipSettingsReader } from './imip/imip-settings';
import { ScheduleStatusWriteback } from './imip/schedule-status-writeback';
import { CalendarScheduleTags1767200000000 } from './migrations/1767200000000-calendar-schedule-tags';
import { CalendarImipReferences1767350000000 } from './migrations/1767350000000-calendar-imip-references';
import { ObjectRepository } from './objects/object.repository';
import { CalendarDeletionScheduling } from './scheduling/calendar-deletion';
import { ExternalRecipients, MailQueueRecipients } from './scheduling/external-recipients';
import { ImplicitScheduling } from './scheduling/implicit-scheduling';
import { SchedulingHandler } from './scheduling/scheduling.handler';
import { SchedulingService } from './scheduling/scheduling.service';
import { CalendarShareInvitations1767300000000 } from './migrations/1767300000000-calendar-share-invitations';
import { NotificationRepository } from './sharing/notification.repository';
import { NotificationsService } from './sharing/notifications.service';
import { ShareRepository } from './sharing/share.repository';
import { SharingHandler } from './sharing/sharing.handler';
import { SharingService } from './sharing/sharing.service';

export const CALENDAR_SERVICE_SCHEMA = {
  schema: CALENDAR_SCHEMA,
  migrations: [
    CalendarSchema1764000000000,
    CalendarStore1764200000000,
    CalendarShares1766100000000,
    CalendarTaskSpans1766200000000,
    CalendarOutbox1766300000000,
    CalendarWriteOutcomes1766400000000,
    CalendarDeadPropertyElements1766500000000,
    CalendarScheduleInbox1767000000000,
    CalendarImipOutgoing1767100000000,
    CalendarScheduleTags1767200000000,
    CalendarShareInvitations1767300000000,
    CalendarImipReferences1767350000000,
  ],
};

/** The calendar service. Needs the bus and logger modules. */
@Module({})
export class CalendarServiceModule {
  static register(storage: StorageTarget): DynamicModule {
    return {
      module: CalendarServiceModule,
      imports: [StorageModule.forService(storage, CALENDAR_SERVICE_SCHEMA), ConfigClientModule],
      controllers: [CalendarHandler, SchedulingHandler, SharingHandler, ImipHandler, healthHandlerFor(CalendarHealth, 'calendar', CALENDAR_SCHEMA)],
      providers: [
        ...outboxProviders({ schema: CALENDAR_SCHEMA }),
        FolderRepository,
        ObjectRepository,
        ShareRepository,
        NotificationRepository,
        CalendarUnitOfWork,
        { provide: ParsedObjects, useFactory: () => new ParsedObjects() },
        { provide: ExternalRecipients, useClass: MailQueueRecipients },
        ImplicitScheduling,
        CalendarDeletionScheduling,
        SharingService,
        NotificationsService,
        CalendarService,
        SchedulingService,
        // iMIP (RFC 6047): the outgoing queue, its sender and their outcomes on the copies, incoming messages.
        ImipOutgoingRepository,
        ImipQueue,
        ImipOutcomes,
        ImipSettingsReader,
        ImipSender,
        ScheduleStatusWriteback,
        ImipReceiveService,
      ],
    };
  }
}
