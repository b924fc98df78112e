import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { registerFailureClassifier } from '@davmesh/bus';
import { classifyDatabaseFailure } from './database-unavailable';
import { openServiceDataSource, type ServiceSchema, type StorageTarget } from './data-source';

@Module({})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    // A lost database connection answers `unavailable` (503 at the edge), not `internal`.
    registerFailureClassifier(classifyDatabaseFailure);
  }

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
