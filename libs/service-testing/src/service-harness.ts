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
  /** The service's app; of several, the last one started (the one under test, after those it asks). */
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

/** One domain service of a harness: the name it answers the bus under, and its module on the storage given. */
export interface HarnessService {
  name: string;
  feature: (storage: StorageTarget) => DynamicModule;
}

/**
 * One domain service on the given storage (migrated on start) and the in-process bus: for a
 * spec that runs the same cases on PostgreSQL as on PGlite. The storage is left as it is on close.
 */
export function startServiceHarnessOn(storage: StorageTarget, name: string, feature: (storage: StorageTarget) => DynamicModule): Promise<StorageServiceHarness> {
  return startServicesOn(storage, [{ name, feature }]);
}

/**
 * Several domain services on one storage and one in-process bus, each its own Nest microservice
 * as in an embedded node (libs/runtime): they ask each other over the bus as in production.
 * Started in the order given (those asked first) and closed in the reverse one.
 */
export async function startServicesOn(storage: StorageTarget, services: readonly HarnessService[]): Promise<StorageServiceHarness> {
  const broker = new InProcessBroker();
  const transport: BusTransport = { kind: 'in-process', broker };
  const apps: INestMicroservice[] = [];
  try {
    for (const { name, feature } of services) apps.push(await startService(transport, storage, name, feature));
  } catch (error) {
    for (const app of apps.reverse()) await app.close();
    throw error;
  }
  const bus = await createBusClient(transport, 'harness');
  const seen = new Map<string, unknown[]>();
  const subscribed = new Set<string>();
  return {
    broker,
    bus,
    app: apps[apps.length - 1],
    events(subject: string) {
      if (!subscribed.has(subject)) {
        subscribed.add(subject);
        seen.set(subject, []);
        broker.subscribe(subject, undefined, (raw) => seen.get(subject)!.push((JSON.parse(raw) as { data: unknown }).data));
      }
      return seen.get(subject)!;
    },
    async close() {
      for (const app of [...apps].reverse()) await app.close();
    },
  };
}

async function startService(transport: BusTransport, storage: StorageTarget, name: string, feature: (storage: StorageTarget) => DynamicModule): Promise<INestMicroservice> {
  @Module({
    imports: [LoggerModule.forRoot(createLogger({ level: 'silent' })), BusModule.forRoot(transport, name), feature(storage)],
  })
  class HarnessRoot {}
  const app = await NestFactory.createMicroservice(HarnessRoot, { strategy: createServerStrategy(transport, name), logger: false });
  await app.listen();
  return app;
}

/** Starts a harness for one `describe` block and closes it after. */
export type HarnessStart = () => Promise<{ harness: StorageServiceHarness; close(): Promise<void> }>;

/**
 * The same cases on embedded PGlite and, where the infrastructure is up, on PostgreSQL (a test
 * database of their own), the services sharing the store and the bus, as
 * `<title> (<names> service(s), embedded PGlite|PostgreSQL)`.
 */
export function describeServicesOnEachStore(title: string, services: readonly HarnessService[], cases: (start: HarnessStart) => void): void {
  const names = services.map((s) => s.name).join(' and ');
  const which = `${names} service${services.length > 1 ? 's' : ''}`;
  describe(`${title} (${which}, embedded PGlite)`, () => {
    cases(async () => {
      const own = await openMigratedPGlite();
      const harness = await startServicesOn({ kind: 'pglite', db: own.db }, services).catch(async (error: unknown) => {
        await own.close();
        throw error;
      });
      return {
        harness,
        async close() {
          await harness.close();
          await own.close();
        },
      };
    });
  });
  describeWithInfrastructure(`${title} (${which}, PostgreSQL)`, () => {
    cases(async () => {
      const database = await createTestDatabase();
      const harness = await startServicesOn({ kind: 'postgres', url: database.url }, services);
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
