import { type DynamicModule, Module } from '@nestjs/common';
import { ContactsHealth } from '@davmesh/contracts';
import { healthHandlerFor, outboxProviders, StorageModule, type StorageTarget } from '@davmesh/storage';
import { CONTACTS_SCHEMA } from './schema';
import { ContactsUnitOfWork } from './contacts.unit-of-work';
import { FolderRepository } from './folders/folder.repository';
import { FoldersHandler } from './folders/folders.handler';
import { FoldersService } from './folders/folders.service';
import { DirectoryEventsHandler } from './gal/directory-events.handler';
import { GalService } from './gal/gal.service';
import { ContactsSchema1764000000000 } from './migrations/1764000000000-contacts-schema';
import { ContactsDeadProperties1766000000000 } from './migrations/1766000000000-contacts-dead-properties';
import { ContactsTables1765000000000 } from './migrations/1765000000000-contacts-tables';
import { ContactsOutbox1766300000000 } from './migrations/1766300000000-contacts-outbox';
import { ContactsWriteOutcomes1766400000000 } from './migrations/1766400000000-contacts-write-outcomes';
import { ContactsDeadPropertyElements1766500000000 } from './migrations/1766500000000-contacts-dead-property-elements';
import { ContactsBareEtagsModifiedAt1766600000000 } from './migrations/1766600000000-contacts-bare-etags-modified-at';
import { ContactRepository } from './objects/contact.repository';
import { ObjectsHandler } from './objects/objects.handler';
import { ObjectsService } from './objects/objects.service';
import { SyncService } from './sync/sync.service';

export const CONTACTS_SERVICE_SCHEMA = {
  schema: CONTACTS_SCHEMA,
  migrations: [ContactsSchema1764000000000, ContactsTables1765000000000, ContactsDeadProperties1766000000000, ContactsOutbox1766300000000, ContactsWriteOutcomes1766400000000, ContactsDeadPropertyElements1766500000000, ContactsBareEtagsModifiedAt1766600000000],
};

/** The contacts service: folders, vCards, the global address list, sync. Needs the bus and logger modules. */
@Module({})
export class ContactsServiceModule {
  static register(storage: StorageTarget): DynamicModule {
    return {
      module: ContactsServiceModule,
      imports: [StorageModule.forService(storage, CONTACTS_SERVICE_SCHEMA)],
      controllers: [healthHandlerFor(ContactsHealth, 'contacts', CONTACTS_SCHEMA), FoldersHandler, ObjectsHandler, DirectoryEventsHandler],
      providers: [
        ...outboxProviders({ schema: CONTACTS_SCHEMA }),
        FolderRepository,
        ContactRepository,
        ContactsUnitOfWork,
        FoldersService,
        GalService,
        ObjectsService,
        SyncService,
      ],
    };
  }
}
