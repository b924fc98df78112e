import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Logger } from '@davmesh/logging';
import { type NodeMetrics } from './node-metrics';
import { type Readiness, type ReadinessReport } from './readiness';

/** Where the probes and the scraper find a process (DAVMESH_OPS_PORT, DAVMESH_OPS_HOST). */
export interface OpsAddress {
  host: string;
  port: number;
}

/**
 * The ops HTTP listener of a process, whatever its roles: `GET /healthz` (200 while the process
 * lives), `GET /readyz` (200 when this process is ready, else 503 naming the failing checks),
 * `GET /metrics` (Prometheus text format). Apart from the DAV port: no credentials, no DAV.
 */
export class OpsListener {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(address: OpsAddress, readiness: Readiness, metrics: NodeMetrics, logger: Logger): Promise<OpsListener> {
    metrics.collectProcessMetrics();
    const server = createServer((request, response) => {
      void answer(request, response, readiness, metrics).catch((error: unknown) => {
        logger.warn({ err: error, url: request.url }, 'ops request failed');
        if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('internal error\n');
      });
    });
    server.keepAliveTimeout = 5000;
    server.requestTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: Error) => reject(new Error(`cannot listen on the ops port ${address.host}:${address.port}: ${error.message}`)));
      server.listen(address.port, address.host, () => resolve());
    });
    const { port } = server.address() as { port: number };
    const url = `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${port}`;
    logger.info({ url }, 'ops listener (healthz, readyz, metrics) listening');
    return new OpsListener(server, url);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

async function answer(request: IncomingMessage, response: ServerResponse, readiness: Readiness, metrics: NodeMetrics): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
    response.writeHead(status, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    send(405, 'only GET and HEAD\n');
    return;
  }
  switch (path) {
    case '/healthz':
      send(200, 'ok\n');
      return;
    case '/readyz': {
      const report = await readiness.report();
      send(report.ready ? 200 : 503, describe(report));
      return;
    }
    case '/metrics':
      send(200, await metrics.scrape(), metrics.registry.contentType);
      return;
    default:
      send(404, 'not found: the ops port serves /healthz, /readyz and /metrics\n');
  }
}

/** One line for the verdict, then one per check: `name: ok`, or `name: FAILING: why`. */
function describe(report: ReadinessReport): string {
  const failing = report.checks.filter((c) => !c.ok).map((c) => c.name);
  const head = report.ready ? 'ready' : `not ready: ${failing.join(', ')}`;
  const lines = report.checks.map((c) => (c.ok ? `${c.name}: ok` : `${c.name}: FAILING: ${c.detail ?? 'failed'}`));
  return `${[head, ...lines].join('\n')}\n`;
}
