import { Inject, Injectable } from '@nestjs/common';
import { Outbox, UnitOfWork } from '@davmesh/storage';
import { FolderRepository } from './folders/folder.repository';
import { ObjectRepository } from './objects/object.repository';

/** The calendar service's repositories as one transaction binds them. */
export type CalendarTransaction = { folders: FolderRepository; objects: ObjectRepository };

/** The calendar service's transactions, with its repositories bound to each. */
@Injectable()
export class CalendarUnitOfWork extends UnitOfWork<CalendarTransaction> {
  constructor(@Inject(Outbox) outbox: Outbox, @Inject(FolderRepository) folders: FolderRepository, @Inject(ObjectRepository) objects: ObjectRepository) {
    super(outbox, { folders, objects });
  }
}
