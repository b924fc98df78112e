import { Inject, Injectable } from '@nestjs/common';
import { CONFIG_KEYS, DomainException, type CalendarLimits } from '@davmesh/contracts';
import { type Announce } from '@davmesh/storage';
import { type CalendarTransaction } from '../calendar.unit-of-work';
import { ObjectRepository } from '../objects/object.repository';
import { ImplicitScheduling, itipLimits } from './implicit-scheduling';
import { type SchedulingDirectory } from './scheduling-directory';

/** davmesh.limits.calendarDeleteMeetings for a request that names none (an older edge, the CLI). */
const DEFAULT_MOST = Number(CONFIG_KEYS['davmesh.limits.calendarDeleteMeetings'].default);

/**
 * What a DELETE of a whole calendar does to the meetings in it (docs/scheduling.md): each is
 * scheduled as a DELETE of it would be, the owner's cancelled for their attendees and the owner's
 * invitations declined, in the transaction that deletes the calendar. At most
 * `calendarDeleteMeetings` of them: beyond, the DELETE is refused (403 davmesh:max-scheduling-objects)
 * with nothing deleted or sent, so that no calendar goes without its meetings being called off
 * and no transaction grows past what the bound allows.
 */
@Injectable()
export class CalendarDeletionScheduling {
  constructor(
    @Inject(ImplicitScheduling) private readonly scheduling: ImplicitScheduling,
    @Inject(ObjectRepository) private readonly objects: ObjectRepository,
  ) {}

  /**
   * Before the transaction: whom the calendar's meetings name, asked of the directory at once
   * (the write would otherwise roll back once for each meeting that names someone new). The
   * caller has checked that the owner deletes it; a calendar past the bound is left to the refusal.
   */
  async prepare(directory: SchedulingDirectory, ownerUserId: number, folderId: number, limits: CalendarLimits | undefined): Promise<void> {
    const names = await this.objects.participantNames(folderId, mostOf(limits) + 1);
    if (names.length > mostOf(limits)) return;
    const texts: string[] = [];
    for (const name of names) {
      const stored = await this.objects.readStored(folderId, name);
      if (stored) texts.push(stored.ical);
    }
    await this.scheduling.learn(directory, ownerUserId, texts, itipLimits(limits));
  }

  /** In the transaction that deletes the calendar, its row held: each meeting in it scheduled as its DELETE. */
  async schedule(tx: CalendarTransaction, announce: Announce, directory: SchedulingDirectory, ownerUserId: number, folderId: number, limits: CalendarLimits | undefined): Promise<void> {
    const most = mostOf(limits);
    const names = await tx.objects.participantNames(folderId, most + 1);
    if (names.length > most) {
      throw new DomainException('forbidden', `this calendar holds more than ${most} meetings, more than one DELETE cancels and declines: delete some of them first`, {
        condition: 'max-scheduling-objects',
      });
    }
    const itip = itipLimits(limits);
    for (const name of names) {
      const stored = await tx.objects.readStored(folderId, name);
      if (stored) await this.scheduling.schedule(tx, announce, directory, { ownerUserId, before: stored.ical, limits: itip });
    }
  }
}

function mostOf(limits: CalendarLimits | undefined): number {
  return limits?.calendarDeleteMeetings ?? DEFAULT_MOST;
}
