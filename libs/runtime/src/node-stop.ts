import { type Server } from 'node:net';
import { type BusClient, type SharedNatsConnection } from '@davmesh/bus';
import { type Logger } from '@davmesh/logging';
import { type StartedEdge } from './nest-apps';
import { type OpsListener } from './ops/ops-listener';
import { type Readiness } from './ops/readiness';
import { stopDomainApps, type DomainApp } from './domain-roles';
import { type DomainThread } from './domain-thread/domain-thread';

/** What a node started, filled in as it starts, so a failed start stops what there is. */
export interface NodeParts {
  readiness: Readiness;
  /** Closed last: liveness is answered until the process is all but gone. */
  ops?: OpsListener;
  edge?: StartedEdge;
  controlSocket?: Server;
  domainApps: DomainApp[];
  /** Embedded mode's domain services, when they run on their own thread. */
  domainThread?: DomainThread;
  bus?: BusClient;
  nats?: SharedNatsConnection;
  /** Databases and the data directory lock, released last, in reverse order. */
  releases: (() => Promise<void> | void)[];
}

/** Of the grace, what HTTP may use before open connections are cut: the rest is for the bus and the pools. */
const HTTP_SHARE_OF_GRACE = 0.8;

/**
 * The one ordered stop of a process: readiness false (/readyz and the edge's /healthz); no new HTTP connection; the requests
 * on open ones answered (with `Connection: close`); the edge's event subscriptions drained;
 * each domain service's request subscriptions drained, its requests in flight answered,
 * then its event subscriptions, then its database pool closed (Nest's shutdown hooks); the
 * process's NATS connection flushed and closed, once; the embedded database closed; the ops
 * listener closed.
 */
export async function stopNode(parts: NodeParts, graceMs: number, logger: Logger): Promise<void> {
  const startedAt = Date.now();
  const step = stopStep(logger);
  const { edge } = parts;
  parts.readiness.markStopping();
  edge?.dispatcher.markStopping();
  edge?.certificate?.stop();
  await Promise.all([
    step('control socket', () => parts.controlSocket && closeNetServer(parts.controlSocket)),
    step('http', async () => {
      if (!edge) return;
      const result = await edge.drain.drain(startedAt + graceMs * HTTP_SHARE_OF_GRACE);
      // Idle keep-alive connections cut are no loss; unfinished responses are.
      if (result.unfinished > 0) logger.error(result, 'HTTP requests cut: they took longer than the shutdown grace');
    }),
  ]);
  await step('edge', () => edge?.app.close());
  await stopDomainApps(parts.domainApps, step);
  await step('domain thread', () => parts.domainThread?.stop());
  await step('bus client', () => parts.bus?.close());
  await step('nats', () => parts.nats?.close());
  for (const release of parts.releases.reverse()) await step('storage', release);
  await step('ops listener', () => parts.ops?.close());
}

/** One step of a stop: its failure is logged and the stop goes on. */
export function stopStep(logger: Logger): (what: string, run: () => Promise<unknown> | unknown) => Promise<void> {
  return async (what, run) => {
    try {
      await run();
    } catch (error) {
      logger.warn({ err: error, step: what }, 'error while stopping');
    }
  };
}

function closeNetServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
