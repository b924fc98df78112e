import { Inject, Injectable } from '@nestjs/common';
import { Outbox, UnitOfWork } from '@davmesh/storage';
import { FolderRepository } from './folders/folder.repository';
import { ContactRepository } from './objects/contact.repository';

/** The repositories a contacts transaction works with, bound to it. */
export type ContactsTransaction = { folders: FolderRepository; contacts: ContactRepository };

/** The contacts service's transactions, with its repositories bound to each. */
@Injectable()
export class ContactsUnitOfWork extends UnitOfWork<ContactsTransaction> {
  constructor(@Inject(Outbox) outbox: Outbox, @Inject(FolderRepository) folders: FolderRepository, @Inject(ContactRepository) contacts: ContactRepository) {
    super(outbox, { folders, contacts });
  }
}
