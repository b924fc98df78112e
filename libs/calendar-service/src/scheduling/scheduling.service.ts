import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import {
  DomainException,
  UsersGet,
  type CalendarInboxUpdate,
  type CalendarLimits,
  type FreeBusyAnswer,
  type FreeBusyRecipient,
  type InboxDelivery,
  type ScheduleInbox,
} from '@davmesh/contracts';
import { DEFAULT_ICAL_LIMITS, InvalidCalendarObject, readSchedulingMessage } from '@davmesh/ical';
import { CalendarService, MAX_RESOURCE_SIZE } from '../calendar.service';
import { announceChange, CalendarUnitOfWork } from '../calendar.unit-of-work';
import { FolderRepository, type InboxRow } from '../folders/folder.repository';
import { contextUsers } from './context-users';
import { deliverToInbox, type SchedulingMessage } from './inbox-delivery';

/**
 * RFC 6638 in the calendar service, what needs no iTIP logic: each user's schedule inbox (a
 * folder of kind `inbox`, made on first use, never listed with the calendars) and the busy time
 * of other users of the requester's context, for a free-busy request POSTed to the outbox.
 */
@Injectable()
export class SchedulingService {
  constructor(
    @Inject(FolderRepository) private readonly folders: FolderRepository,
    @Inject(CalendarService) private readonly calendars: CalendarService,
    @Inject(CalendarUnitOfWork) private readonly unitOfWork: CalendarUnitOfWork,
    @Inject(BusClient) private readonly bus: BusClient,
  ) {}

  /** The user's inbox (made on first use) and default calendar (their default folders made too). */
  async open(userId: number): Promise<ScheduleInbox> {
    const inbox = await this.folders.ensureInbox(userId);
    let calendars = await this.folders.ownEventCalendars(userId);
    if (calendars.length === 0) {
      await this.calendars.listFolders(userId);
      calendars = await this.folders.ownEventCalendars(userId);
    }
    return this.described(inbox, calendars);
  }

  /** PROPPATCH of the inbox in one transaction: the default calendar (one of the user's own holding VEVENT) and dead properties. */
  async update(request: CalendarInboxUpdate): Promise<ScheduleInbox> {
    return this.unitOfWork.transaction(async (tx, announce) => {
      const { folder } = await tx.folders.ensureInbox(request.userId, true);
      if (request.defaultCalendarId !== undefined) {
        const calendars = await tx.folders.ownEventCalendars(request.userId);
        if (!calendars.some((c) => c.folderId === request.defaultCalendarId)) {
          throw new DomainException('forbidden', `calendar ${request.defaultCalendarId} is not one of your calendars that holds events`, {
            condition: 'valid-schedule-default-calendar-URL',
          });
        }
        await tx.folders.setScheduleDefault(folder.folderId, request.defaultCalendarId);
      }
      for (const property of request.setDead ?? []) await tx.folders.setDead(folder.folderId, property);
      for (const { ns, name } of request.removeDead ?? []) await tx.folders.removeDead(folder.folderId, ns, name);
      const revision = await tx.folders.bumpRevision(folder.folderId);
      announceChange(announce, folder.folderId, request.userId, revision);
      return this.described((await tx.folders.inbox(request.userId))!, await tx.folders.ownEventCalendars(request.userId));
    });
  }

  /** Checks an iTIP message and delivers it to the user's inbox in a transaction of its own. */
  async deliver(userId: number, ical: string, limits?: CalendarLimits): Promise<InboxDelivery> {
    if (Buffer.byteLength(ical) > MAX_RESOURCE_SIZE) throw new DomainException('forbidden', `a message may have at most ${MAX_RESOURCE_SIZE} bytes`, { condition: 'max-resource-size' });
    const message = readMessage(ical, limits);
    return this.unitOfWork.transaction((tx, announce) => deliverToInbox(tx, announce, userId, message));
  }

  /**
   * Each recipient's busy time over their own calendars that hold events, if they are an enabled
   * user of the requester's context; the answers in order, as many as one reply carries.
   */
  async freeBusy(userId: number, start: string, end: string, recipients: FreeBusyRecipient[], limits?: CalendarLimits): Promise<{ answers: FreeBusyAnswer[] }> {
    const requester = await this.bus.call(UsersGet, { userId });
    // Disabled users are as unknown as strangers.
    const users = (await contextUsers(this.bus, requester.contextId, recipients)).map((user) => (user?.enabled ? user : undefined));
    const budget = this.calendars.recurrenceBudget(limits);
    const room = this.bus.replyBudget();
    const answers: FreeBusyAnswer[] = [];
    for (const user of users) {
      const answer: FreeBusyAnswer = user
        ? { found: true, userId: user.userId, busy: await this.calendars.busyIn((await this.folders.ownEventCalendars(user.userId)).map((c) => c.folderId), start, end, budget) }
        : { found: false };
      if (!room.take(answer)) {
        if (answers.length === 0) throw new DomainException('too-large', 'one recipient\'s busy time is more than one reply carries');
        break;
      }
      answers.push(answer);
    }
    return { answers };
  }

  private described({ folder, scheduleDefaultFolderId }: InboxRow, calendars: { folderId: number; collectionName: string }[]): ScheduleInbox {
    const chosen = calendars.find((c) => c.folderId === scheduleDefaultFolderId);
    return { inbox: folder, defaultCalendar: chosen ?? calendars[0] ?? null };
  }
}

/** An iTIP message checked for an inbox; `forbidden` with its precondition otherwise. */
export function readMessage(ical: string, limits?: CalendarLimits): SchedulingMessage {
  try {
    return { ...readSchedulingMessage(ical, { ...DEFAULT_ICAL_LIMITS, ...limits }), ical };
  } catch (error) {
    if (error instanceof InvalidCalendarObject) throw new DomainException('forbidden', error.message, { condition: error.condition });
    throw error;
  }
}
