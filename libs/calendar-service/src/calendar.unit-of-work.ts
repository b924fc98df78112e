import { Inject, Injectable } from '@nestjs/common';
import { Outbox, UnitOfWork } from '@davmesh/storage';
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
