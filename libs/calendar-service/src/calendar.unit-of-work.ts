import { Inject, Injectable } from '@nestjs/common';
import { CalendarFolderChanged } from '@davmesh/contracts';
import { Outbox, UnitOfWork, type Announce } from '@davmesh/storage';
import { FolderRepository } from './folders/folder.repository';
import { ImipOutgoingRepository } from './imip/imip-outgoing.repository';
import { ObjectRepository } from './objects/object.repository';

/** The calendar service's repositories, as a transaction has them bound (`tx.folders`, ...). */
export type CalendarTransaction = {
  folders: FolderRepository;
  objects: ObjectRepository;
  /** The outgoing iMIP queue: a message enqueued here commits with the write that made it. */
  imip: ImipOutgoingRepository;
};

/** The calendar service's transactions, with its repositories bound to each. */
@Injectable()
export class CalendarUnitOfWork extends UnitOfWork<CalendarTransaction> {
  constructor(
    @Inject(Outbox) outbox: Outbox,
    @Inject(FolderRepository) folders: FolderRepository,
    @Inject(ObjectRepository) objects: ObjectRepository,
    @Inject(ImipOutgoingRepository) imip: ImipOutgoingRepository,
  ) {
    super(outbox, { folders, objects, imip });
  }
}

/** Stored with the change, published after its commit (at least once: consumers go by revision). */
export function announceChange(announce: Announce, folderId: number, ownerUserId: number, revision: number): void {
  announce(CalendarFolderChanged, { folderId, ownerUserId, revision });
}
