import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createBusClient, type BusClient } from '@davmesh/bus';
import { ContextsAdd, UsersAdd } from '@davmesh/contracts';
import { ROLES } from '@davmesh/runtime';
import { createTestDatabase, describeWithInfrastructure, freePort, randomSubjectPrefix, RoleProcess, TEST_NATS_URL, type TestDatabase } from '@davmesh/testing';
import { byKind, container, deployment, environmentOf, materialiseConfigFiles, render, type Manifest } from './rendered-chart';

/** The in-cluster names the rendered URLs use, mapped to loopback where this machine runs them. */
const SERVICES_ON_LOOPBACK = new Map([['nats', new URL(TEST_NATS_URL).host]]);

function onLoopback(url: string): string {
  const parsed = new URL(url);
  const local = SERVICES_ON_LOOPBACK.get(parsed.hostname);
  if (!local) throw new Error(`${url}: no local stand-in for the Service ${parsed.hostname}`);
  parsed.host = local;
  return parsed.toString();
}

/**
 * The chart and the app agree: the rendered Deployments' containers run as local processes with
 * their args and environment (Services on loopback, each process on ports of its own, the
 * ConfigMap's files in a temp dir), then the edge's probe and a PROPFIND through it.
 */
describeWithInfrastructure('the rendered chart, run as local processes', () => {
  let database: TestDatabase;
  let manifests: Manifest[];
  let configDir: string;
  let bus: BusClient;
  const processes: RoleProcess[] = [];
  const edgePort = { dav: 0 };
  /** Per role: the port the rendered environment says the process listens on, and where it listens locally. */
  const onLoopbackPorts = new Map<string, Map<number, number>>();

  beforeAll(async () => {
    database = await createTestDatabase();
    // What an operator writes: the database by its in-cluster Service name.
    const inCluster = new URL(database.url);
    SERVICES_ON_LOOPBACK.set('postgres', inCluster.host);
    inCluster.host = 'postgres:5432';
    manifests = render('--set', `database.url=${inCluster.toString()}`);
    configDir = materialiseConfigFiles(manifests).dir;
    const prefix = randomSubjectPrefix();
    bus = await createBusClient({ kind: 'nats', servers: TEST_NATS_URL, prefix }, 'chart-as-processes');
    // The migration Job first (its hook runs before the roles): its args, its environment.
    const [job] = byKind(manifests, 'Job');
    const jobEnv = environmentOf(manifests, job);
    execFileSync(process.execPath, ['-r', './tools/register.cjs', 'apps/davmesh/src/main.ts', ...(container(job).args as string[])], {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, ...jobEnv, DATABASE_URL: onLoopback(jobEnv.DATABASE_URL) },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    // Config first: the others ask it for settings as they start.
    for (const role of ['config', 'calendar', 'contacts', 'edge'] as const) {
      const d = deployment(manifests, role);
      const env = environmentOf(manifests, d);
      const local: Record<string, string> = {
        ...env,
        NATS_URL: onLoopback(env.NATS_URL),
        DAVMESH_SUBJECT_PREFIX: prefix,
        DAVMESH_OPS_HOST: '127.0.0.1',
        DAVMESH_OPS_PORT: String(await freePort()),
      };
      if (env.DATABASE_URL) local.DATABASE_URL = onLoopback(env.DATABASE_URL);
      if (env.DAVMESH_CONFIG_DIR) local.DAVMESH_CONFIG_DIR = configDir;
      const ports = new Map([[Number(env.DAVMESH_OPS_PORT), Number(local.DAVMESH_OPS_PORT)]]);
      if (role === 'edge') {
        edgePort.dav = await freePort();
        Object.assign(local, { HOST: '127.0.0.1', PORT: String(edgePort.dav) });
        ports.set(Number(env.PORT), edgePort.dav);
      }
      onLoopbackPorts.set(role, ports);
      // RoleProcess runs `davmesh serve --role <role>`: exactly the container's args.
      expect(container(d).args).toEqual(['serve', '--role', role]);
      const p = new RoleProcess(role, role, local);
      processes.push(p);
      await p.start();
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.signal('SIGTERM')));
    await bus?.close();
    await database?.drop();
    rmSync(configDir, { recursive: true, force: true });
  }, 60_000);

  it('starts every role from its rendered environment', () => {
    expect(processes.map((p) => [p.role, p.running])).toEqual(['config', 'calendar', 'contacts', 'edge'].map((r) => [r, true]));
    expect(new Set(processes.map((p) => p.role))).toEqual(new Set(ROLES));
  });

  it("answers every role's startup, liveness and readiness probes with 200: the paths the chart probes on the ports it names are the ones each process serves", async () => {
    const answered: string[] = [];
    for (const p of processes) {
      const c = container(deployment(manifests, p.role));
      const declared = new Map((c.ports as { name: string; containerPort: number }[]).map((port) => [port.name, port.containerPort]));
      for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        const probe = c[kind].httpGet as { path: string; port: string; scheme?: string };
        // The kubelet resolves a named port among the container's declared ports; a number or an unknown name would probe nothing the process opens.
        expect([p.role, kind, declared.has(probe.port)]).toEqual([p.role, kind, true]);
        const local = onLoopbackPorts.get(p.role)?.get(declared.get(probe.port)!);
        // …and that port must be one the process's environment makes it listen on.
        expect([p.role, kind, probe.port, local]).toEqual([p.role, kind, probe.port, expect.any(Number)]);
        const response = await fetch(`${(probe.scheme ?? 'HTTP').toLowerCase()}://127.0.0.1:${local}${probe.path}`);
        expect([p.role, kind, probe.path, response.status]).toEqual([p.role, kind, probe.path, 200]);
        answered.push(`${p.role} ${kind} ${probe.port} ${probe.path}`);
      }
    }
    // Every role is probed, and each on its ops port for liveness and readiness, as Kubernetes would.
    expect(answered).toHaveLength(processes.length * 3);
    expect(answered.filter((a) => a.endsWith('readinessProbe ops /readyz'))).toHaveLength(processes.length);
    expect(answered.filter((a) => a.endsWith('livenessProbe ops /healthz'))).toHaveLength(processes.length);
  });

  it("answers the edge's startup probe on its declared DAV port, and a PROPFIND through the edge", async () => {
    const edge = container(deployment(manifests, 'edge'));
    const probe = edge.startupProbe.httpGet as { path: string; port: string };
    const declared = (edge.ports as { name: string; containerPort: number }[]).find((p) => p.name === probe.port);
    expect(declared?.containerPort).toBe(8008); // what the Service targets; locally it runs on a port of its own
    const health = await fetch(`http://127.0.0.1:${edgePort.dav}${probe.path}`);
    expect(health.status).toBe(200);

    const context = await bus.request(ContextsAdd, { contextId: 1 });
    if (!context.ok && context.error.code !== 'conflict') throw new Error(context.error.message);
    await bus.call(UsersAdd, { login: 'chart', password: 'chart-pw', contextId: 1, email: 'chart@example.org' });
    const response = await fetch(`http://127.0.0.1:${edgePort.dav}/dav/`, {
      method: 'PROPFIND',
      headers: { Authorization: `Basic ${Buffer.from('chart:chart-pw').toString('base64')}`, Depth: '0', 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>',
    });
    expect(response.status).toBe(207);
    expect(await response.text()).toContain('current-user-principal');
  });
});
