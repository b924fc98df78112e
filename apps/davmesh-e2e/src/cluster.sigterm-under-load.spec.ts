import {
  Cluster,
  clusterPrerequisitesMissing,
  DavLoad,
  describeRequiring,
  LOG_LEVEL,
  waitFor,
  type LoadSummary,
  type LoadVerification,
  type RoleProcess,
} from '@davmesh/testing';

const GRACE_SECONDS = 20;

interface Stop {
  name: string;
  sentAt: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
}

async function terminate(process: RoleProcess): Promise<Stop> {
  const sentAt = Date.now();
  const { code, signal } = await process.signal('SIGTERM', 2 * GRACE_SECONDS * 1000);
  return { name: process.name, sentAt, code, signal, ms: Date.now() - sentAt };
}

/** NATS connections per process id, from the private nats-server's monitoring (`/connz`), names being `<name>:<pid>`. */
async function connectionsByPid(cluster: Cluster): Promise<Map<number, number>> {
  const byPid = new Map<number, number>();
  for (const connection of await cluster.nats.connections()) {
    const pid = Number(/:(\d+)$/.exec(connection.name ?? '')?.[1]);
    byPid.set(pid, (byPid.get(pid) ?? 0) + 1);
  }
  return byPid;
}

describeRequiring('cluster under load: SIGTERM of an edge, then of a calendar replica', clusterPrerequisitesMissing(), () => {
  let cluster: Cluster | undefined;
  let load: DavLoad | undefined;
  let summary: LoadSummary;
  let verification: LoadVerification;
  const stops: Stop[] = [];
  let connectionsUnderLoad: Map<number, number>;
  let connectionsAfter: Map<number, number>;
  /** Process name → pid, under load before the signals. */
  let pids: Map<string, number>;

  beforeAll(async () => {
    cluster = await Cluster.start({ env: { DAVMESH_SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) } });
    await cluster.addUser('loader', 'loader-pw');
    const running = cluster;
    load = await DavLoad.start({ edges: () => running.edgeUrls(), login: 'loader', password: 'loader-pw', clients: 6 });
    const acknowledgedWrites = (n: number) => waitFor(() => load!.acknowledged.size >= n, 120_000);
    await acknowledgedWrites(30);
    connectionsUnderLoad = await connectionsByPid(cluster);
    pids = new Map(cluster.processes.map((p) => [p.name, p.pid!]));
    stops.push(await terminate(cluster.process('edge-1')));
    await acknowledgedWrites(load.acknowledged.size + 30);
    stops.push(await terminate(cluster.process('calendar-1')));
    await acknowledgedWrites(load.acknowledged.size + 30);
    connectionsAfter = await connectionsByPid(cluster);
    summary = await load.stop();
    verification = await load.verify();
    const counted = `${summary.requests} requests, ${summary.acknowledgedWrites} acknowledged writes, statuses ${JSON.stringify(summary.statuses)}`;
    process.stdout.write(`SIGTERM edge-1, then calendar-1 under load: ${counted}; stops ${JSON.stringify(stops)}\n`);
  }, 400_000);

  afterAll(async () => {
    await load?.stop();
    await cluster?.stop();
  }, 60_000);

  it('exits 0 within the grace, having logged no error', () => {
    expect(stops.map((s) => s.name)).toEqual(['edge-1', 'calendar-1']);
    for (const stop of stops) {
      expect(stop).toMatchObject({ code: 0, signal: null });
      expect(stop.ms).toBeLessThan(GRACE_SECONDS * 1000);
      const logs = cluster!.process(stop.name).logs;
      expect(logs.filter((l) => l.level >= LOG_LEVEL.error || /DRAINING|error while stopping/.test(JSON.stringify(l)))).toEqual([]);
      expect(logs.some((l) => l.msg === 'stopped')).toBe(true);
    }
  });

  it('answers every request it took: no acknowledged write lost, no connection reset, no 5xx', () => {
    expect(verification.lostWrites).toEqual([]);
    expect(verification.storedButReportedFailed).toEqual([]);
    expect(Object.keys(summary.statuses).filter((s) => /\b5\d\d$/.test(s))).toEqual([]);
    // A stopping edge refuses new connections (the balancer then sends them to the other);
    // nothing it accepted is cut.
    expect(summary.noAnswer.filter((r) => !/ECONNREFUSED/.test(r.error ?? ''))).toEqual([]);
    expect(summary.failedReads).toEqual([]);
    expect(summary.staleReads).toEqual([]);
    // Requests were in flight when each signal came, and were answered.
    for (const { sentAt } of stops) {
      expect(load!.records.some((r) => r.status > 0 && r.at < sentAt && r.at + r.ms > sentAt)).toBe(true);
    }
  });

  it('holds one NATS connection per process, and a stopped process none', () => {
    const stopped = stops.map((s) => s.name);
    for (const [name, pid] of pids) {
      expect([name, connectionsUnderLoad.get(pid)]).toEqual([name, 1]);
      expect([name, connectionsAfter.get(pid)]).toEqual([name, stopped.includes(name) ? undefined : 1]);
    }
    // Besides them, only the test's own bus client.
    expect([...connectionsUnderLoad.values()].reduce((a, b) => a + b, 0)).toBe(pids.size + 1);
  });
});
