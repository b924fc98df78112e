import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusModule, createServerStrategy, type BusTransport } from '@davmesh/bus';
import { ConfigServiceModule } from '@davmesh/config-service';
import { createLogger, LoggerModule } from '@davmesh/logging';
import { CalendarServiceModule } from '@davmesh/calendar-service';
import { type StorageTarget } from '@davmesh/storage';
import { createTestDatabase, describeWithInfrastructure } from '@davmesh/testing';
import { openMigratedPGlite } from './migrated-database';
import { startServiceHarnessOn, type StorageServiceHarness } from './service-harness';

export interface CalendarWithConfig {
  /** The calendar service's harness: its bus reaches both services. */
  harness: StorageServiceHarness;
  close(): Promise<void>;
}

/**
 * The calendar service with the real config service beside it, on one in-process bus and one
 * store, as a node runs them: the directory (users by id and by address) and the server values
 * of `configDir` (`*.properties`) answer from the config service itself.
 */
export async function startCalendarWithConfig(storage: StorageTarget, configDir: string): Promise<CalendarWithConfig> {
  const harness = await startServiceHarnessOn(storage, 'calendar', (target) => CalendarServiceModule.register(target));
  const transport: BusTransport = { kind: 'in-process', broker: harness.broker };
  @Module({
    imports: [LoggerModule.forRoot(createLogger({ level: 'silent' })), BusModule.forRoot(transport, 'config'), ConfigServiceModule.register(storage, { configDir, pollMs: 60_000 })],
  })
  class ConfigRoot {}
  const config = await NestFactory.createMicroservice(ConfigRoot, { strategy: createServerStrategy(transport, 'config'), logger: false });
  await config.listen();
  return {
    harness,
    async close() {
      await harness.close();
      await config.close();
    },
  };
}

/** Starts the pair for one `describe` block and closes it (and its store) after. */
export type CalendarWithConfigStart = (configDir: string) => Promise<CalendarWithConfig>;

/** The same cases on embedded PGlite and, where the infrastructure is up, on PostgreSQL, as describeOnEachStore has them. */
export function describeWithConfigOnEachStore(title: string, cases: (start: CalendarWithConfigStart) => void): void {
  describe(`${title} (calendar and config services, embedded PGlite)`, () => {
    cases(async (configDir) => {
      const database = await openMigratedPGlite();
      const pair = await startCalendarWithConfig({ kind: 'pglite', db: database.db }, configDir);
      return { harness: pair.harness, close: () => pair.close().finally(() => database.close()) };
    });
  });
  describeWithInfrastructure(`${title} (calendar and config services, PostgreSQL)`, () => {
    cases(async (configDir) => {
      const database = await createTestDatabase();
      const pair = await startCalendarWithConfig({ kind: 'postgres', url: database.url }, configDir);
      return { harness: pair.harness, close: () => pair.close().finally(() => database.drop()) };
    });
  });
}
