import { type DynamicModule, Module } from '@nestjs/common';
import { ContactsHealth } from '@davmesh/contracts';
import { healthHandlerFor, StorageModule, type StorageTarget } from '@davmesh/storage';
import { CONTACTS_SCHEMA } from './schema';
import { ContactsSchema1764000000000 } from './migrations/1764000000000-contacts-schema';

export const CONTACTS_SERVICE_SCHEMA = {
  schema: CONTACTS_SCHEMA,
  entities: [],
  migrations: [ContactsSchema1764000000000],
};

/** The contacts service. Needs the bus and logger modules. */
@Module({})
export class ContactsServiceModule {
  static register(storage: StorageTarget): DynamicModule {
    return {
      module: ContactsServiceModule,
      imports: [StorageModule.forService(storage, CONTACTS_SERVICE_SCHEMA)],
      controllers: [healthHandlerFor(ContactsHealth, 'contacts', CONTACTS_SCHEMA)],
    };
  }
}
