import { cpus } from 'node:os';
import { Cluster, DavLoad, type ClusterShape } from '@davmesh/testing';
import { fmt } from './peers';
import { cpuMs, withChildren } from './process-cpu';
import { type BenchArgs, type BenchModule } from './run';

interface ClusterFigures {
  label: string;
  clients: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  /** CPU ms per request, by where it was spent (the load driver's own apart). */
  cpu: { edges: number; services: number; nats: number; postgres: number; total: number; driver: number };
}

const WARMUP_MS = 5_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** Measures one cluster shape: concurrent clients for `seconds` after a warm-up, CPU of every process read from /proc. */
async function measureShape(label: string, shape: ClusterShape, clients: number, seconds: number): Promise<ClusterFigures> {
  const cluster = await Cluster.start(shape);
  try {
    await cluster.addUser('bench', 'bench');
    const load = await DavLoad.start({ edges: () => cluster.edgeUrls(), login: 'bench', password: 'bench', clients });
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
    const groups = {
      edges: () => cluster.ofRole('edge').map((p) => p.pid!),
      services: () => cluster.processes.filter((p) => p.role !== 'edge').map((p) => p.pid!),
      nats: () => [cluster.nats.pid!],
      postgres: () => withChildren(cluster.postgres.pid!),
    };
    const postgresPids = groups.postgres();
    const sample = () => ({
      edges: groups.edges().reduce((sum, pid) => sum + cpuMs(pid), 0),
      services: groups.services().reduce((sum, pid) => sum + cpuMs(pid), 0),
      nats: groups.nats().reduce((sum, pid) => sum + cpuMs(pid), 0),
      postgres: postgresPids.reduce((sum, pid) => sum + cpuMs(pid), 0),
    });
    const before = sample();
    const driverBefore = process.cpuUsage();
    const from = Date.now();
    const firstRecord = load.count;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const after = sample();
    const driver = process.cpuUsage(driverBefore);
    const until = Date.now();
    const measured = load.records.slice(firstRecord).filter((r) => r.at + r.ms <= until);
    await load.stop();
    const failures = measured.filter((r) => r.status === 0 || r.status >= 500).length;
    const latencies = measured.map((r) => r.ms).sort((a, b) => a - b);
    const perRequest = (key: keyof typeof before) => (after[key] - before[key]) / measured.length;
    const cpu = {
      edges: perRequest('edges'),
      services: perRequest('services'),
      nats: perRequest('nats'),
      postgres: perRequest('postgres'),
      total: 0,
      driver: (driver.user + driver.system) / 1000 / measured.length,
    };
    cpu.total = cpu.edges + cpu.services + cpu.nats + cpu.postgres;
    return {
      label,
      clients,
      requests: measured.length,
      requestsPerSecond: (measured.length * 1000) / (until - from),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      failures,
      cpu,
    };
  } finally {
    await cluster.stop();
  }
}

export const clusterBench: BenchModule = {
  name: 'cluster',
  async run(args: BenchArgs): Promise<string> {
    const seconds = args.clusterSeconds;
    const clients = args.clusterClients;
    const runs = [
      await measureShape('1 edge, 1 replica each', { edges: 1, calendar: 1, contacts: 1, config: 1 }, clients, seconds),
      await measureShape('2 edges, 2 replicas each', { edges: 2, calendar: 2, contacts: 2, config: 2 }, clients, seconds),
    ];
    const row = (r: ClusterFigures) =>
      `| ${r.label} | ${r.requests} | ${fmt(r.requestsPerSecond)} | ${fmt(r.p50Ms)} / ${fmt(r.p99Ms)} | ${r.failures} | ${fmt(r.cpu.total, 2)} | ${fmt(r.cpu.edges, 2)} | ${fmt(r.cpu.services, 2)} | ${fmt(r.cpu.nats, 2)} | ${fmt(r.cpu.postgres, 2)} | ${fmt(r.cpu.driver, 2)} |`;
    return [
      '## Scale-out (`npm run bench -- --cluster`)',
      '',
      `Run ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}: every role its own process (\`davmesh serve --role\`) on a private nats-server and PostgreSQL, started by the cluster harness (\`libs/testing/src/cluster\`), the load driver in the bench process on the same machine.`,
      `${clients} concurrent CalDAV clients, each with its own kept-alive connection, spread round robin over the edges; each repeats PUT of a new event, GET of one it wrote, PROPFIND Depth 0 of the calendar and a calendar-multiget of its latest 5; ${seconds} s measured after ${WARMUP_MS / 1000} s of warm-up.`,
      'CPU is user + system time from /proc of the edges, the domain services (config, calendar, contacts), nats-server and the PostgreSQL server with its backends, divided by the requests answered in the same interval (the load driver\'s own CPU in the last column, not in the total). On two cores the processes share the same CPUs, so a second replica adds no capacity here: the figures show what scaling out costs per request; throughput grows with cores. Throughput also depends on what else the machine runs (other test runs shared it here); CPU per request is the steadier figure.',
      '',
      '| cluster | requests | req/s | latency p50 / p99 ms | failed | server CPU ms/request | edges | services | NATS | PostgreSQL | load driver |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...runs.map(row),
      '',
    ].join('\n');
  },
};
