import { type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type PGlite } from '@electric-sql/pglite';
import { BusModule, createBusClient, createServerStrategy, InProcessBroker, type BusClient, type BusTransport } from '@davmesh/bus';
import { createLogger, LoggerModule } from '@davmesh/logging';
import { openPGlite } from '@davmesh/storage';
import { type ConfigServiceOptions } from './cascade/config-service-options';
import { ConfigServiceModule } from './config-service.module';

export interface ConfigServiceHarness {
  broker: InProcessBroker;
  bus: BusClient;
  db: PGlite;
  app: INestMicroservice;
  close(): Promise<void>;
}

/** The config service alone on in-memory PGlite and the in-process bus, for specs. */
export async function startConfigServiceHarness(options: Partial<ConfigServiceOptions> = {}): Promise<ConfigServiceHarness> {
  const db = await openPGlite(undefined);
  const broker = new InProcessBroker();
  const transport: BusTransport = { kind: 'in-process', broker };
  @Module({
    imports: [
      LoggerModule.forRoot(createLogger({ level: 'silent' })),
      BusModule.forRoot(transport, 'config'),
      ConfigServiceModule.register(
        { kind: 'pglite', db },
        { configDir: options.configDir ?? '/nonexistent/davmesh-config', pollMs: options.pollMs ?? 60_000 },
      ),
    ],
  })
  class HarnessRoot {}
  const app = await NestFactory.createMicroservice(HarnessRoot, { strategy: createServerStrategy(transport, 'config'), logger: false });
  await app.listen();
  const bus = await createBusClient(transport, 'harness');
  return {
    broker,
    bus,
    db,
    app,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
