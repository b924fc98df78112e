import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { HEALTHZ_PATH } from '@davmesh/edge';
import { loadServerConfig, loadSettings, ROLES } from '@davmesh/runtime';
import { buildCli } from '../apps/davmesh/src/cli';

const root = join(__dirname, '..');
const BASE = join(root, 'deploy/kubernetes/base');
const OVERLAY = join(root, 'deploy/kubernetes/overlays/example');

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */
type Manifest = { kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, string> };

function kubectlVersion(): string | undefined {
  try {
    return execFileSync('kubectl', ['version', '--client'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** Like describeWithInfrastructure: without kubectl, skip with a reason; under CI=true, run (and fail). */
function describeWithKubectl(name: string, body: () => void): void {
  if (kubectlVersion() !== undefined || process.env.CI === 'true') {
    describe(name, body);
    return;
  }
  const reason = 'kubectl not found (apt-get install kubernetes-client); set CI=true to make this a failure';
  process.stderr.write(`skipping "${name}": ${reason}\n`);
  const skipped = describe.skip;
  skipped(`${name} (skipped: ${reason})`, body);
}

function render(dir: string): Manifest[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
const named = (manifests: Manifest[], kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
/** Generated ConfigMaps and Secrets carry a hash suffix; references are rewritten to it. */
const generated = (manifests: Manifest[], kind: string, prefix: string) => {
  const found = manifests.filter((m) => m.kind === kind && new RegExp(`^${prefix}(-[a-z0-9]{10})?$`).test(m.metadata.name));
  expect(found).toHaveLength(1);
  return found[0];
};
const deployment = (manifests: Manifest[], role: string) => named(manifests, 'Deployment', `davmesh-${role}`);
const container = (d: Manifest) => {
  expect(d.spec.template.spec.containers).toHaveLength(1);
  return d.spec.template.spec.containers[0];
};

/** The environment a container starts with, resolved from its ConfigMaps and Secrets as the kubelet does. */
function environmentOf(manifests: Manifest[], d: Manifest, secretCreatedByHand?: string): Record<string, string> {
  const env: Record<string, string> = {};
  const c = container(d);
  for (const from of c.envFrom ?? []) Object.assign(env, named(manifests, 'ConfigMap', from.configMapRef.name).data);
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef && secretCreatedByHand !== undefined && !manifests.some((m) => m.kind === 'Secret')) {
      env[e.name] = secretCreatedByHand; // the base leaves the Secret to `kubectl create secret`
    } else if (e.valueFrom?.secretKeyRef) {
      const secret = named(manifests, 'Secret', e.valueFrom.secretKeyRef.name);
      const value = secret.data?.[e.valueFrom.secretKeyRef.key];
      if (value === undefined) throw new Error(`Secret ${secret.metadata.name} has no ${e.valueFrom.secretKeyRef.key}`);
      env[e.name] = Buffer.from(value, 'base64').toString('utf8');
    } else throw new Error(`unresolvable env ${e.name}`);
  }
  return env;
}

const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const workdir = /^WORKDIR\s+(\S+)$/m.exec(dockerfile)![1];
const entrypoint = JSON.parse(/^ENTRYPOINT\s+(.+)$/m.exec(dockerfile)![1]) as string[];

describeWithKubectl('Kubernetes manifests (kubectl kustomize)', () => {
  let base: Manifest[];
  let overlay: Manifest[];

  beforeAll(() => {
    base = render(BASE);
    overlay = render(OVERLAY);
  });

  it('runs one Deployment per role from the one image, two replicas each', () => {
    for (const manifests of [base, overlay]) {
      expect(byKind(manifests, 'Deployment').map((d) => d.metadata.name).sort()).toEqual(ROLES.map((r) => `davmesh-${r}`).sort());
      expect(new Set(byKind(manifests, 'Deployment').map((d) => container(d).image)).size).toBe(1);
    }
    for (const role of ROLES) {
      const d = deployment(base, role);
      expect(d.spec.replicas).toBe(2);
      expect(container(d).command).toBeUndefined(); // the image's ENTRYPOINT runs davmesh
      expect(container(d).args).toEqual(['serve', '--role', role]);
      // The base deploys the release this checkout is.
      expect(container(d).image).toBe(`davmesh:${(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version}`);
    }
  });

  it('commits no Secret in the base; the example overlay sets image, tag, replicas and the DATABASE_URL Secret', () => {
    expect(byKind(base, 'Secret')).toEqual([]);
    const baseImage = container(deployment(base, 'edge')).image as string;
    const image = container(deployment(overlay, 'edge')).image as string;
    expect(image).toMatch(/^registry\.example\.com\/davmesh:/);
    expect(image.split(':').pop()).not.toBe(baseImage.split(':').pop());
    expect(deployment(overlay, 'edge').spec.replicas).toBe(3);
    const secret = generated(overlay, 'Secret', 'davmesh-database');
    expect(Buffer.from(secret.data!.DATABASE_URL, 'base64').toString()).toContain('CHANGE-ME');
  });

  it('gives every role an environment it accepts at boot, with the database from the Secret', () => {
    for (const role of ROLES) {
      const env = environmentOf(overlay, deployment(overlay, role));
      const settings = loadSettings(env, role);
      expect(settings.mode).toBe('distributed');
      expect(settings.roles).toEqual([role]);
      expect(env.LOG_FORMAT).toBe('json');
      if (role === 'edge') expect(env.DATABASE_URL).toBeUndefined();
      else expect(settings.mode === 'distributed' && settings.databaseUrl).toMatch(/^postgres:\/\//);
    }
    const edge = loadSettings(environmentOf(overlay, deployment(overlay, 'edge')), 'edge');
    expect(edge.host).toBe('0.0.0.0');
    expect(edge.port).toBe(8008);
  });

  it('exposes only the edge pods on 8008, without session affinity', () => {
    const services = byKind(base, 'Service');
    expect(services.map((s) => s.metadata.name)).toEqual(['davmesh-edge']);
    const [service] = services;
    expect(service.spec.sessionAffinity ?? 'None').toBe('None');
    expect(service.spec.sessionAffinityConfig).toBeUndefined();
    const selects = (d: Manifest) =>
      Object.entries(service.spec.selector as Record<string, string>).every(([k, v]) => d.spec.template.metadata.labels[k] === v);
    for (const role of ROLES) expect([role, selects(deployment(base, role))]).toEqual([role, role === 'edge']);
    expect(service.spec.ports).toHaveLength(1);
    const [port] = service.spec.ports;
    expect(port.port).toBe(8008);
    const target = container(deployment(base, 'edge')).ports.find((p: any) => p.name === port.targetPort || p.containerPort === port.targetPort);
    expect(target.containerPort).toBe(8008);
  });

  it('probes the edge on its unauthenticated health path and the other roles with `davmesh health`', () => {
    const edge = container(deployment(base, 'edge'));
    const portNames = edge.ports.map((p: any) => p.name);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(edge[probe].httpGet.path).toBe(HEALTHZ_PATH);
      expect(portNames).toContain(edge[probe].httpGet.port);
    }
    const commands = buildCli().commands.map((c) => c.name());
    expect(commands).toContain('health');
    for (const role of ROLES.filter((r) => r !== 'edge')) {
      const c = container(deployment(base, role));
      const command = c.readinessProbe.exec.command as string[];
      // The image's ENTRYPOINT, with absolute paths, then the health command for this role.
      const absolute = entrypoint.map((part) => (/\.(ts|cjs)$/.test(part) ? posix.join(workdir, part) : part));
      expect(command).toEqual([...absolute, 'health', '--role', role]);
      for (const file of absolute.filter((part) => part.startsWith(workdir))) expect(existsSync(join(root, posix.relative(workdir, file)))).toBe(true);
      // Any replica answers the bus health request: it must not restart this pod.
      expect(c.livenessProbe).toBeUndefined();
    }
  });

  it('mounts the config files where the config role reads them, and they pass `davmesh config check`', () => {
    for (const manifests of [base, overlay]) {
      const d = deployment(manifests, 'config');
      const env = environmentOf(manifests, d, 'postgres://davmesh@postgres/davmesh');
      const configDir = loadSettings(env, 'config').configDir;
      const mount = container(d).volumeMounts.find((m: any) => m.mountPath === configDir);
      expect(mount).toBeDefined();
      const volume = d.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
      // Materialise the volume as the kubelet would and read it with the config service's reader.
      const dir = mkdtempSync(join(tmpdir(), 'davmesh-k8s-config-'));
      try {
        const sources = volume.projected?.sources ?? [{ configMap: volume.configMap }];
        for (const { configMap } of sources) {
          const data = named(manifests, 'ConfigMap', configMap.name).data ?? {};
          const items: { key: string; path: string }[] = configMap.items ?? Object.keys(data).map((key) => ({ key, path: key }));
          for (const { key, path } of items) {
            expect(data[key]).toBeDefined();
            mkdirSync(dirname(join(dir, path)), { recursive: true });
            writeFileSync(join(dir, path), data[key]);
          }
        }
        const { config, problems } = loadServerConfig(dir);
        expect(problems).toEqual([]);
        expect(config.properties.get('com.openexchange.dav.prefixPath')?.value).toBe('/dav');
        if (manifests === overlay) {
          expect(config.properties.get('com.openexchange.caldav.enabled')?.value).toBe(false);
          expect(config.contextSets.map((s) => s.name)).toEqual(['premium']);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('runs every pod as a non-root uid on a read-only root file system, with /tmp writable, resources and a grace period beyond the shutdown grace', () => {
    const imageUser = /^USER\s+(\S+)$/m.exec(dockerfile)![1];
    expect(imageUser).toBe('node'); // uid 1000 in the node images
    for (const role of ROLES) {
      const pod = deployment(base, role).spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      // runAsNonRoot cannot check a user name: without a numeric uid the kubelet refuses to start it.
      expect(pod.securityContext.runAsUser).toBe(1000);
      // The kubelet's SIGKILL comes after the preStop pause and the process's own shutdown grace.
      const preStopSeconds = Number(container(deployment(base, role)).lifecycle?.preStop?.exec?.command?.[1] ?? 0);
      const { shutdownGraceSeconds } = loadSettings(environmentOf(base, deployment(base, role), 'postgres://db/davmesh'), role);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStopSeconds + shutdownGraceSeconds + 5);
      const c = container(deployment(base, role));
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      const tmp = c.volumeMounts.find((m: any) => m.mountPath === '/tmp');
      expect(pod.volumes.find((v: any) => v.name === tmp.name).emptyDir).toBeDefined();
      expect(c.resources.requests.memory).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
    }
  });
});
