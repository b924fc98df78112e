import { type DynamicModule, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type PGlite } from '@electric-sql/pglite';
import { BusModule, createBusClient, createServerStrategy, InProcessBroker, type BusClient, type BusTransport } from '@davmesh/bus';
import { createLogger, LoggerModule } from '@davmesh/logging';
import { openPGlite, type StorageTarget } from '@davmesh/storage';

export interface ServiceHarness {
  broker: InProcessBroker;
  bus: BusClient;
  db: PGlite;
  app: INestMicroservice;
  /** Every event published on the bus, by subject, decoded. */
  events(subject: string): unknown[];
  close(): Promise<void>;
}

/**
 * One domain service on in-memory PGlite and the in-process bus, as its specs need it; on
 * `options.db` when given (a database prepared beforehand, left open on close).
 */
export async function startServiceHarness(
  name: string,
  feature: (storage: StorageTarget) => DynamicModule,
  options: { db?: PGlite } = {},
): Promise<ServiceHarness> {
  const db = options.db ?? (await openPGlite(undefined));
  const broker = new InProcessBroker();
  const transport: BusTransport = { kind: 'in-process', broker };
  @Module({
    imports: [LoggerModule.forRoot(createLogger({ level: 'silent' })), BusModule.forRoot(transport, name), feature({ kind: 'pglite', db })],
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
    db,
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
      if (!options.db) await db.close();
    },
  };
}
