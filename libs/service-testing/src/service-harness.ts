import { type DynamicModule, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type PGlite } from '@electric-sql/pglite';
import { BusModule, createBusClient, createServerStrategy, InProcessBroker, type BusClient, type BusTransport } from '@davmesh/bus';
import { createLogger, LoggerModule } from '@davmesh/logging';
import { type StorageTarget } from '@davmesh/storage';
import { createTestDatabase, describeWithInfrastructure } from '@davmesh/testing';
import { openMigratedPGlite } from './migrated-database';

export interface ServiceHarness {
  broker: InProcessBroker;
  bus: BusClient;
  db: PGlite;
  app: INestMicroservice;
  /** Every event published on the bus, by subject, decoded. */
  events(subject: string): unknown[];
  close(): Promise<void>;
}

/** A service harness on any storage: PostgreSQL (a test database) as well as PGlite. */
export type StorageServiceHarness = Omit<ServiceHarness, 'db'>;

/**
 * One domain service on PGlite and the in-process bus, as its specs need it: on a copy of
 * the migrated template database, or on `options.db` when given (a database prepared
 * beforehand, left open on close).
 */
export async function startServiceHarness(
  name: string,
  feature: (storage: StorageTarget) => DynamicModule,
  options: { db?: PGlite } = {},
): Promise<ServiceHarness> {
  const own = options.db ? undefined : await openMigratedPGlite();
  const db = options.db ?? own!.db;
  const harness = await startServiceHarnessOn({ kind: 'pglite', db }, name, feature);
  return {
    ...harness,
    db,
    async close() {
      await harness.close();
      await own?.close();
    },
  };
}

/**
 * One domain service on the given storage (migrated on start) and the in-process bus: for a
 * spec that runs the same cases on PostgreSQL as on PGlite. The storage is left as it is on close.
 */
export async function startServiceHarnessOn(storage: StorageTarget, name: string, feature: (storage: StorageTarget) => DynamicModule): Promise<StorageServiceHarness> {
  const broker = new InProcessBroker();
  const transport: BusTransport = { kind: 'in-process', broker };
  @Module({
    imports: [LoggerModule.forRoot(createLogger({ level: 'silent' })), BusModule.forRoot(transport, name), feature(storage)],
  })
  class HarnessRoot {}
  const app = await NestFactory.createMicroservice(HarnessRoot, { strategy: createServerStrategy(transport, name), logger: false });
  await app.listen();
  const bus = await createBusClient(transport, 'harness');
  const seen = new Map<string, unknown[]>();
  const subscribed = new Set<string>();
  return {
    broker,
    bus,
    app,
    events(subject: string) {
      if (!subscribed.has(subject)) {
        subscribed.add(subject);
        seen.set(subject, []);
        broker.subscribe(subject, undefined, (raw) => seen.get(subject)!.push((JSON.parse(raw) as { data: unknown }).data));
      }
      return seen.get(subject)!;
    },
    async close() {
      await app.close();
    },
  };
}

/** Starts a harness for one `describe` block and closes it after. */
export type HarnessStart = () => Promise<{ harness: StorageServiceHarness; close(): Promise<void> }>;

/**
 * The same cases on embedded PGlite and, where the infrastructure is up, on PostgreSQL (a test
 * database of their own), as `<title> (<name> service, embedded PGlite|PostgreSQL)`.
 */
export function describeOnEachStore(title: string, name: string, feature: (storage: StorageTarget) => DynamicModule, cases: (start: HarnessStart) => void): void {
  describe(`${title} (${name} service, embedded PGlite)`, () => {
    cases(async () => {
      const harness = await startServiceHarness(name, feature);
      return { harness, close: () => harness.close() };
    });
  });
  describeWithInfrastructure(`${title} (${name} service, PostgreSQL)`, () => {
    cases(async () => {
      const database = await createTestDatabase();
      const harness = await startServiceHarnessOn({ kind: 'postgres', url: database.url }, name, feature);
      return {
        harness,
        async close() {
          await harness.close();
          await database.drop();
        },
      };
    });
  });
}
