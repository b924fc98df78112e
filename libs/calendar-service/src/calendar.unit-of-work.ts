import { Inject, Injectable } from '@nestjs/common';
import { CalendarFolderChanged } from '@davmesh/contracts';
import { Outbox, UnitOfWork, type Announce } from '@davmesh/storage';
import { FolderRepository } from './folders/folder.repository';
import { ImipOutgoingRepository } from './imip/imip-outgoing.repository';
import { ObjectRepository } from './objects/object.repository';
import { NotificationRepository } from './sharing/notification.repository';
import { ShareRepository } from './sharing/share.repository';

/** The calendar service's repositories, as a transaction has them bound (`tx.folders`, ...). */
export type CalendarTransaction = {
  folders: FolderRepository;
  objects: ObjectRepository;
  /** The outgoing iMIP queue: a message enqueued here commits with the write that made it. */
  imip: ImipOutgoingRepository;
  /** Who each calendar is shared with, in which state (calendarserver-sharing). */
  shares: ShareRepository;
  /** Each user's notification collection: a notification commits with the change it tells of. */
  notifications: NotificationRepository;
};

/** The calendar service's transactions, with its repositories bound to each. */
@Injectable()
export class CalendarUnitOfWork extends UnitOfWork<CalendarTransaction> {
  constructor(
    @Inject(Outbox) outbox: Outbox,
    @Inject(FolderRepository) folders: FolderRepository,
    @Inject(ObjectRepository) objects: ObjectRepository,
    @Inject(ImipOutgoingRepository) imip: ImipOutgoingRepository,
    @Inject(ShareRepository) shares: ShareRepository,
    @Inject(NotificationRepository) notifications: NotificationRepository,
  ) {
    super(outbox, { folders, objects, imip, shares, notifications });
  }
}

/** Stored with the change, published after its commit (at least once: consumers go by revision). */
export function announceChange(announce: Announce, folderId: number, ownerUserId: number, revision: number): void {
  announce(CalendarFolderChanged, { folderId, ownerUserId, revision });
}

/**
 * As announceChange, for a write that changed only the folder's objects (a PUT, DELETE or MOVE
 * of them): edges keep their folder listings. A write that may also have made a folder (the
 * defaults, an inbox) announces with announceChange.
 */
export function announceObjectsChange(announce: Announce, folderId: number, ownerUserId: number, revision: number): void {
  announce(CalendarFolderChanged, { folderId, ownerUserId, revision, objectsOnly: true });
}
