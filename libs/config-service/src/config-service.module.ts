import { type DynamicModule, Module } from '@nestjs/common';
import { StorageModule, type StorageTarget } from '@davmesh/storage';
import { CascadeHandler } from './cascade/cascade.handler';
import { CascadeService } from './cascade/cascade.service';
import { CONFIG_SCHEMA, ContextRow, UserRow } from './directory/directory.entities';
import { DirectoryHandler } from './directory/directory.handler';
import { DirectoryRepository } from './directory/directory.repository';
import { DirectoryService } from './directory/directory.service';
import { HealthHandler } from './health/health.handler';
import { Directory1764000000000 } from './migrations/1764000000000-directory';

export const CONFIG_SERVICE_SCHEMA = {
  schema: CONFIG_SCHEMA,
  entities: [ContextRow, UserRow],
  migrations: [Directory1764000000000],
};

/** The config service: the directory (contexts, users, credentials). Needs the bus and logger modules. */
@Module({})
export class ConfigServiceModule {
  static register(storage: StorageTarget): DynamicModule {
    return {
      module: ConfigServiceModule,
      imports: [StorageModule.forService(storage, CONFIG_SERVICE_SCHEMA)],
      controllers: [DirectoryHandler, CascadeHandler, HealthHandler],
      providers: [DirectoryRepository, DirectoryService, CascadeService],
    };
  }
}
