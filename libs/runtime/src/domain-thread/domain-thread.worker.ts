import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { type PGlite } from '@electric-sql/pglite';
import { BrokerLink, InProcessBroker, type BusTransport } from '@davmesh/bus';
import { createLogger } from '@davmesh/logging';
import { keepPGliteUp, openPGlite, type PGliteUpkeep } from '@davmesh/storage';
import { startDomainRoles, stopDomainApps, type DomainApp } from '../domain-roles';
import { embeddedDatabaseDir } from '../embedded-paths';
import { stopStep } from '../node-stop';
import { NodeMetrics } from '../ops/node-metrics';
import { Readiness } from '../ops/readiness';
import { type DomainThreadAnswers, type DomainThreadData, type FromDomainThread, type ToDomainThread } from './thread-protocol';

/** The domain thread of an embedded node (DomainThread): PGlite and the domain services, on a broker linked to the main thread's. */
async function main(port: NonNullable<typeof parentPort>, data: DomainThreadData): Promise<void> {
  const send = (message: FromDomainThread) => port.postMessage(message);
  const logger = createLogger({ level: data.logLevel, destination: { write: (line: string) => send({ t: 'log', line }) } });
  const broker = new InProcessBroker(data.maxPayload);
  const link = new BrokerLink(broker, data.busPort);
  const readiness = new Readiness();
  const metrics = new NodeMetrics();
  const transport: BusTransport = { kind: 'in-process', broker, metrics };
  const apps: DomainApp[] = [];
  let db: PGlite | undefined;
  let upkeep: PGliteUpkeep | undefined;
  const stop = async (): Promise<true> => {
    const step = stopStep(logger);
    await stopDomainApps(apps, step);
    link.close();
    await step('storage', async () => {
      await upkeep?.stop();
      await db?.close();
    });
    return true;
  };
  const answers: { [Q in keyof DomainThreadAnswers]: () => Promise<DomainThreadAnswers[Q]> } = {
    readiness: async () => (await readiness.report()).checks,
    metrics: () => metrics.snapshot(),
    stop,
  };
  port.on('message', (message: ToDomainThread) => {
    answers[message.question]().then(
      (value) => send({ t: 'answer', id: message.id, value }),
      (error: Error) => send({ t: 'answer', id: message.id, error: error.message }),
    );
  });
  try {
    const opened = (db = await openPGlite(embeddedDatabaseDir(data.dataDir)));
    await startDomainRoles(data.roles, transport, () => ({ kind: 'pglite', db: opened }), logger, { configDir: data.configDir, pollMs: data.configPollMs }, { readiness, metrics }, apps);
    upkeep = keepPGliteUp(opened, logger);
  } catch (error) {
    await stop();
    send({ t: 'failed', message: (error as Error).message });
    return;
  }
  send({ t: 'ready' });
}

if (parentPort) void main(parentPort, workerData as DomainThreadData);
