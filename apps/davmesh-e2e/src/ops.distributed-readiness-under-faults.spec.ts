import { CALENDAR_SERVICE_SCHEMA } from '@davmesh/calendar-service';
import { newestShippedMigration, openServiceDataSource } from '@davmesh/storage';
import {
  basicAuth,
  Cluster,
  clusterPrerequisitesMissing,
  describeRequiring,
  eventually,
  parsePrometheusText,
  randomSubjectPrefix,
  randomSuffix,
  RoleProcess,
  sampleSum,
  type PrometheusSample,
} from '@davmesh/testing';
import { runCli } from '@davmesh/cli';

/** What a probe (or an operator with curl) reads on a process's ops port. */
interface Probe {
  status: number;
  body: string;
  /** The checks the first line names as failing (`not ready: bus, database:calendar`). */
  failing: string[];
  /** Every check of the process, by name: `ok` or why it fails. */
  checks: Map<string, string>;
}

function opsUrlOf(p: RoleProcess): string {
  if (!p.opsUrl) throw new Error(`${p.name} has no ops listener (DAVMESH_OPS_PORT):\n${p.tail()}`);
  return p.opsUrl;
}

async function readyz(p: RoleProcess): Promise<Probe> {
  const response = await fetch(`${opsUrlOf(p)}/readyz`);
  const body = await response.text();
  const [head, ...lines] = body.trim().split('\n');
  const failing = head.startsWith('not ready: ') ? head.slice('not ready: '.length).split(', ') : [];
  const checks = new Map(lines.map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]));
  return { status: response.status, body, failing, checks };
}

async function healthz(p: RoleProcess): Promise<number> {
  return (await fetch(`${opsUrlOf(p)}/healthz`)).status;
}

async function scrape(p: RoleProcess): Promise<PrometheusSample[]> {
  const response = await fetch(`${opsUrlOf(p)}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

/** The checks each role's process runs: this process only, never another's. */
const CHECKS = {
  config: ['bus', 'configuration', 'database:config', 'schema:config', 'start'],
  calendar: ['bus', 'database:calendar', 'schema:calendar', 'start'],
  contacts: ['bus', 'database:contacts', 'schema:contacts', 'start'],
  edge: ['bus', 'start'],
} as const;

const DATABASE_ROLES = ['config', 'calendar', 'contacts'] as const;

/** Loaded machines (2 cores, other suites): a reconnect or a pool's new connection can take seconds. */
const SETTLE_MS = 60_000;

/**
 * What an operator (or the kubelet) sees on /readyz of each role process of a distributed
 * deployment, one process per role on a nats-server and a PostgreSQL of the test's own, while
 * those fail and come back: the processes are never restarted, liveness never fails.
 */
describeRequiring('distributed mode: /healthz, /readyz and /metrics of each role process through PostgreSQL and NATS outages', clusterPrerequisitesMissing(), () => {
  let cluster: Cluster;
  const byRole = (role: keyof typeof CHECKS) => cluster.ofRole(role)[0];

  beforeAll(async () => {
    cluster = await Cluster.start({ edges: 1, calendar: 1, contacts: 1, config: 1, env: { DAVMESH_OPS_PORT: '0' } });
    await cluster.addUser('ops', 'ops-pw');
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('gives every process an ops port of its own, live, and ready once started with the checks of its role', async () => {
    const urls = cluster.processes.map(opsUrlOf);
    expect(new Set([...urls, ...cluster.edgeUrls()]).size).toBe(5);
    for (const p of cluster.processes) {
      expect(await healthz(p)).toBe(200);
      await eventually(async () => expect(await readyz(p)).toMatchObject({ status: 200, failing: [] }), 10_000);
      const { body, checks } = await readyz(p);
      expect([p.role, body.split('\n')[0], [...checks.keys()].sort()]).toEqual([p.role, 'ready', CHECKS[p.role as keyof typeof CHECKS]]);
      expect([...checks.values()].every((v) => v === 'ok')).toBe(true);
    }
  });

  it('serves Prometheus text on each process, and counts by subject the bus requests a DAV request made, on the edge and on the calendar process', async () => {
    for (const p of cluster.processes) expect([p.role, sampleSum(await scrape(p), 'davmesh_nats_connected')]).toEqual([p.role, 1]);
    const calendar = byRole('calendar');
    const edge = byRole('edge');
    const [calendarBefore, edgeBefore] = await Promise.all([scrape(calendar), scrape(edge)]);
    const collection = `${cluster.edgeUrls()[0]}/dav/caldav/ops-metrics/`;
    const authorization = basicAuth('ops', 'ops-pw');
    expect((await fetch(collection, { method: 'MKCALENDAR', headers: { Authorization: authorization } })).status).toBe(201);
    const [calendarAfter, edgeAfter] = await Promise.all([scrape(calendar), scrape(edge)]);
    const moved = (after: PrometheusSample[], before: PrometheusSample[], name: string, labels: Record<string, string>) =>
      sampleSum(after, name, labels) - sampleSum(before, name, labels);
    const create = { subject: 'calendar.v1.folders.create', outcome: 'ok' };
    expect(moved(calendarAfter, calendarBefore, 'davmesh_bus_server_requests_total', create)).toBe(1);
    expect(moved(calendarAfter, calendarBefore, 'davmesh_bus_server_request_duration_seconds_count', { subject: create.subject })).toBe(1);
    expect(moved(edgeAfter, edgeBefore, 'davmesh_bus_client_requests_total', create)).toBe(1);
    expect(moved(edgeAfter, edgeBefore, 'davmesh_http_requests_total', { method: 'MKCALENDAR', status: '201' })).toBe(1);
    // The edge asks, the calendar process answers: neither counts the other side.
    expect(sampleSum(calendarAfter, 'davmesh_bus_client_requests_total', { subject: create.subject })).toBe(0);
    expect(sampleSum(edgeAfter, 'davmesh_bus_server_requests_total', { subject: create.subject })).toBe(0);
    expect(sampleSum(calendarAfter, 'davmesh_db_pool_connections', { service: 'calendar' })).toBeGreaterThanOrEqual(1);
  });

  it('while PostgreSQL is down: the database roles are not ready naming their database, the edge stays ready, all stay live; ready again without a restart', async () => {
    await cluster.postgres.crash();
    try {
      for (const role of DATABASE_ROLES) {
        await eventually(async () => {
          const probe = await readyz(byRole(role));
          expect(probe.status).toBe(503);
          expect(probe.failing).toContain(`database:${role}`);
          expect(probe.checks.get(`database:${role}`)).toMatch(/^FAILING: /);
          expect(probe.checks.get('bus')).toBe('ok');
        }, SETTLE_MS);
      }
      // Readiness is about this process only: the edge's own checks (start, bus) still pass.
      expect(await readyz(byRole('edge'))).toMatchObject({ status: 200, failing: [] });
      for (const p of cluster.processes) expect([p.role, await healthz(p)]).toEqual([p.role, 200]);
    } finally {
      await cluster.postgres.recover();
    }
    for (const p of cluster.processes) await eventually(async () => expect(await readyz(p)).toMatchObject({ status: 200, failing: [] }), SETTLE_MS);
    expect(cluster.processes.map((p) => [p.name, p.running, p.starts])).toEqual(cluster.processes.map((p) => [p.name, true, 1]));
  }, 240_000);

  it('while NATS is down: every process is not ready naming the bus, all stay live; ready again once NATS is back, without a restart', async () => {
    await cluster.nats.restart(async () => {
      for (const p of cluster.processes) {
        await eventually(async () => {
          const probe = await readyz(p);
          expect(probe.status).toBe(503);
          expect(probe.failing).toEqual(['bus']);
          expect(probe.checks.get('bus')).toBe(`FAILING: not connected to NATS at ${cluster.nats.url}`);
        }, SETTLE_MS);
      }
      for (const p of cluster.processes) expect([p.role, await healthz(p)]).toEqual([p.role, 200]);
    });
    for (const p of cluster.processes) await eventually(async () => expect(await readyz(p)).toMatchObject({ status: 200, failing: [] }), SETTLE_MS);
    for (const p of cluster.processes) {
      const samples = await scrape(p);
      expect([p.role, sampleSum(samples, 'davmesh_nats_connected'), sampleSum(samples, 'davmesh_nats_reconnects_total')]).toEqual([p.role, 1, 1]);
    }
    expect(cluster.processes.map((p) => [p.name, p.running, p.starts])).toEqual(cluster.processes.map((p) => [p.name, true, 1]));
  }, 240_000);

  it('with DAVMESH_MIGRATIONS=wait on a schema one migration behind: live but not ready, naming its start, until `davmesh migrate` has run', async () => {
    const databaseUrl = await cluster.postgres.createDatabase(`davmesh_behind_${randomSuffix()}`);
    const dataSource = await openServiceDataSource({ kind: 'postgres', url: databaseUrl }, CALENDAR_SERVICE_SCHEMA);
    const newest = newestShippedMigration(dataSource);
    try {
      await dataSource.undoLastMigration({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
    // A subject prefix of its own: once migrated, it must not answer the cluster's requests from another database.
    const behind = new RoleProcess('calendar', 'calendar-behind', {
      NATS_URL: cluster.nats.url,
      DATABASE_URL: databaseUrl,
      DAVMESH_SUBJECT_PREFIX: randomSubjectPrefix(),
      DAVMESH_MIGRATIONS: 'wait',
      DAVMESH_OPS_PORT: '0',
      HOST: '127.0.0.1',
    });
    const started = behind.start(120_000);
    started.catch(() => undefined);
    try {
      await eventually(() => expect(behind.logs.map((l) => l.msg)).toContain('waiting for the schema'), SETTLE_MS);
      const waiting = await readyz(behind);
      expect(waiting.status).toBe(503);
      expect(waiting.failing).toContain('start');
      expect(waiting.checks.get('start')).toBe(`FAILING: still starting (calendar: schema "calendar" lacks 1 migration(s) up to ${newest}: waiting for \`davmesh migrate\`)`);
      expect(await healthz(behind)).toBe(200);

      const printed: string[] = [];
      expect(await runCli(['migrate'], { DATABASE_URL: databaseUrl }, (line) => printed.push(line))).toBe(0);
      expect(printed).toContain(`schema calendar is at ${newest}`);
      await started;
      await eventually(async () => expect(await readyz(behind)).toMatchObject({ status: 200, failing: [] }), SETTLE_MS);
      expect(behind.starts).toBe(1);
    } finally {
      await behind.signal('SIGTERM', 10_000);
    }
  }, 240_000);
});
