import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openServiceDataSource, type ServiceSchema, type StorageTarget } from './data-source';

@Module({})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Provides the service's migrated DataSource; the app fails to start if it cannot be opened. */
  static forService(target: StorageTarget, schema: ServiceSchema): DynamicModule {
    return {
      module: StorageModule,
      providers: [{ provide: DataSource, useFactory: () => openServiceDataSource(target, schema) }],
      exports: [DataSource],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
