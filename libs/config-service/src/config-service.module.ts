import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigHealth } from '@davmesh/contracts';
import { healthHandlerFor, outboxProviders, StorageModule, type StorageTarget } from '@davmesh/storage';
import { CacheInvalidator } from './caches/cache-invalidator';
import { CacheNodesHandler } from './caches/cache-nodes.handler';
import { CascadeHandler } from './cascade/cascade.handler';
import { CascadeService } from './cascade/cascade.service';
import { CONFIG_SERVICE_OPTIONS, type ConfigServiceOptions } from './cascade/config-service-options';
import { ConfigUnitOfWork } from './config.unit-of-work';
import { ServerConfigHolder } from './cascade/server-config.holder';
import { StoredValuesRepository } from './cascade/stored-values.repository';
import { DirectoryHandler } from './directory/directory.handler';
import { DirectoryRepository } from './directory/directory.repository';
import { DirectoryService } from './directory/directory.service';
import { Directory1764000000000 } from './migrations/1764000000000-directory';
import { ConfigValues1764100000000 } from './migrations/1764100000000-config-values';
import { ConfigOutbox1766300000000 } from './migrations/1766300000000-config-outbox';
import { ConfigWriteOutcomes1766400000000 } from './migrations/1766400000000-config-write-outcomes';
import { ConfigUserEmails1767000000000 } from './migrations/1767000000000-config-user-emails';
import { ConfigUserEmailLookup1767350000000 } from './migrations/1767350000000-config-user-email-lookup';
import { CONFIG_SCHEMA } from './schema';

export const CONFIG_SERVICE_SCHEMA = {
  schema: CONFIG_SCHEMA,
  migrations: [Directory1764000000000, ConfigValues1764100000000, ConfigOutbox1766300000000, ConfigWriteOutcomes1766400000000, ConfigUserEmails1767000000000, ConfigUserEmailLookup1767350000000],
};

/** The config service: the directory and the config cascade. Needs the bus and logger modules. */
@Module({})
export class ConfigServiceModule {
  static register(storage: StorageTarget, options: ConfigServiceOptions): DynamicModule {
    return {
      module: ConfigServiceModule,
      imports: [StorageModule.forService(storage, CONFIG_SERVICE_SCHEMA)],
      controllers: [DirectoryHandler, CascadeHandler, CacheNodesHandler, healthHandlerFor(ConfigHealth, 'config', CONFIG_SCHEMA)],
      providers: [
        { provide: CONFIG_SERVICE_OPTIONS, useValue: options },
        ...outboxProviders({ schema: CONFIG_SCHEMA }),
        DirectoryRepository,
        StoredValuesRepository,
        ConfigUnitOfWork,
        DirectoryService,
        ServerConfigHolder,
        CascadeService,
        CacheInvalidator,
      ],
    };
  }
}
