import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { type BusMetrics, type SharedNatsConnection } from '@davmesh/bus';
import { type CacheCounts } from '@davmesh/caching';
import { type EdgeRequestRecorder } from '@davmesh/edge';
import { type PoolCounts } from '@davmesh/storage';

/** Seconds: a DAV request or a bus round trip, from a cache hit to a large REPORT. */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type ThreadMetrics = MetricObjectWithValues<MetricValue<string>>[];

/**
 * The metrics of one process (of one node: tests start several in one process), in a registry
 * of its own, never prom-client's global one. Request counts are counted as they happen; caches,
 * database pools and the NATS connection are read when scraped.
 */
export class NodeMetrics implements BusMetrics, EdgeRequestRecorder {
  readonly registry = new Registry();
  private readonly caches: { service: string; cache: string; counts: CacheCounts }[] = [];
  private readonly pools: { service: string; pool: PoolCounts }[] = [];
  private nats?: SharedNatsConnection;
  private processMetrics = false;
  private readonly otherThreads: (() => Promise<ThreadMetrics>)[] = [];

  private readonly httpRequests = new Counter({
    name: 'davmesh_http_requests_total',
    help: 'HTTP requests the edge answered, by method, resource kind and status (aborted: the client left first).',
    labelNames: ['method', 'kind', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'davmesh_http_request_duration_seconds',
    help: 'Time from a request arriving at the edge to its response ending, by method and resource kind.',
    labelNames: ['method', 'kind'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly busClientRequests = new Counter({
    name: 'davmesh_bus_client_requests_total',
    help: 'Bus requests this process made, by subject and outcome (ok or the error code).',
    labelNames: ['subject', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly busClientDuration = new Histogram({
    name: 'davmesh_bus_client_request_duration_seconds',
    help: 'Time a bus request this process made took to be answered (retries included), by subject.',
    labelNames: ['subject'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly busServerRequests = new Counter({
    name: 'davmesh_bus_server_requests_total',
    help: 'Bus requests the services of this process answered, by subject and outcome (ok or the error code).',
    labelNames: ['subject', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly busServerDuration = new Histogram({
    name: 'davmesh_bus_server_request_duration_seconds',
    help: 'Time the services of this process took to answer a bus request, by subject.',
    labelNames: ['subject'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    const caches = this.caches;
    const cacheCounter = (name: string, help: string, read: (counts: CacheCounts) => number) =>
      new Counter({
        name,
        help,
        labelNames: ['service', 'cache'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          for (const { service, cache, counts } of caches) this.inc({ service, cache }, read(counts));
        },
      });
    cacheCounter('davmesh_cache_hits_total', 'Lookups a cache answered (docs/caching.md), by the service holding it and its name.', (c) => c.hits);
    cacheCounter('davmesh_cache_misses_total', 'Lookups a cache could not answer.', (c) => c.misses);
    cacheCounter('davmesh_cache_invalidations_total', 'Entries a cache dropped because something changed (events, acknowledged invalidations, reconnects).', (c) => c.invalidations);

    const pools = this.pools;
    const poolGauge = (name: string, help: string, read: (pool: PoolCounts) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['service'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          for (const { service, pool } of pools) this.set({ service }, read(pool));
        },
      });
    poolGauge('davmesh_db_pool_connections', 'Connections a service holds open to PostgreSQL.', (p) => p.totalCount);
    poolGauge('davmesh_db_pool_idle_connections', 'Of those, the ones not in use.', (p) => p.idleCount);
    poolGauge('davmesh_db_pool_waiting_requests', 'Queries waiting for a connection of the pool.', (p) => p.waitingCount);

    const nats = () => this.nats;
    new Counter({
      name: 'davmesh_nats_reconnects_total',
      help: 'Times the NATS connection of this process came back after it dropped.',
      registers: [this.registry],
      collect() {
        this.reset();
        const connection = nats();
        if (connection) this.inc(connection.reconnects);
      },
    });
    new Gauge({
      name: 'davmesh_nats_connected',
      help: '1 while the NATS connection of this process is up (absent in embedded mode).',
      registers: [this.registry],
      async collect() {
        const connection = nats();
        if (connection) this.set((await connection.isConnected()) ? 1 : 0);
      },
    });
  }

  httpRequest(method: string, kind: string, status: string, seconds: number): void {
    this.httpRequests.inc({ method, kind, status });
    this.httpDuration.observe({ method, kind }, seconds);
  }

  clientRequest(subject: string, outcome: string, seconds: number): void {
    this.busClientRequests.inc({ subject, outcome });
    this.busClientDuration.observe({ subject }, seconds);
  }

  serverRequest(subject: string, outcome: string, seconds: number): void {
    this.busServerRequests.inc({ subject, outcome });
    this.busServerDuration.observe({ subject }, seconds);
  }

  /** Reports the caches a service of this process holds, by name. */
  watchCaches(service: string, counts: Record<string, CacheCounts>): void {
    for (const [cache, c] of Object.entries(counts)) this.caches.push({ service, cache, counts: c });
  }

  watchPool(service: string, pool: PoolCounts): void {
    this.pools.push({ service, pool });
  }

  watchNats(connection: SharedNatsConnection): void {
    this.nats = connection;
  }

  /** Node's process metrics (CPU, memory, event loop, GC): only where they are scraped, as they sample continuously. */
  collectProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry });
  }

  /** Adds another thread's registry (its `snapshot()`) to what is scraped: same-named series are summed. */
  addThread(snapshot: () => Promise<ThreadMetrics>): void {
    this.otherThreads.push(snapshot);
  }

  /** What another thread's NodeMetrics.addThread reads: plain data, to cross a MessagePort. */
  snapshot(): Promise<ThreadMetrics> {
    return this.registry.getMetricsAsJSON();
  }

  /** The Prometheus text format. */
  async scrape(): Promise<string> {
    if (this.otherThreads.length === 0) return this.registry.metrics();
    const all = await Promise.all([this.snapshot(), ...this.otherThreads.map((read) => read())]);
    return AggregatorRegistry.aggregate(all).metrics();
  }
}
