import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helmBinary } from './helm-binary';

/** Rendering deploy/helm/davmesh with the real helm, and reading what it rendered as the kubelet would. */
export const CHART = join(__dirname, 'davmesh');
export const PRODUCTION = join(CHART, 'values-production.example.yaml');
export const RELEASE = 'prod';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any; data?: Record<string, string> };

export function helm(args: string[]): string {
  return execFileSync(helmBinary(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** helm's stderr when it refuses, for asserting on its message. */
export function helmRefusal(args: string[]): string {
  try {
    helm(args);
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  throw new Error(`helm ${args.join(' ')} succeeded`);
}

export function render(...args: string[]): Manifest[] {
  return parseAllDocuments(helm(['template', RELEASE, CHART, '--namespace', 'davmesh', ...args]))
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

/** The schema package of each kind the chart renders (kubernetes-models and its prometheus-operator models). */
export function modelOf(m: Manifest): new (data: unknown) => { validate(): void } {
  const [group, version] = m.apiVersion.includes('/') ? m.apiVersion.split('/') : [undefined, m.apiVersion];
  const module = group === 'monitoring.coreos.com' ? `@kubernetes-models/prometheus-operator/${group}/${version}/${m.kind}` : `kubernetes-models/${group ? `${group}/` : ''}${version}/${m.kind}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the model is picked by the rendered kind
  return (require(module) as Record<string, new (data: unknown) => { validate(): void }>)[m.kind];
}

export const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
export const named = (manifests: Manifest[], kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
export const deployment = (manifests: Manifest[], role: string) => named(manifests, 'Deployment', `${RELEASE}-davmesh-${role}`);
export const podSpec = (workload: Manifest) => workload.spec.template.spec;
export const container = (workload: Manifest) => {
  if (podSpec(workload).containers.length !== 1) throw new Error(`${workload.metadata.name}: one container expected`);
  return podSpec(workload).containers[0];
};
export const selects = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);
export const podsSelectedBy = (manifests: Manifest[], selector: Record<string, string>) =>
  [...byKind(manifests, 'Deployment'), ...byKind(manifests, 'Job')].filter((w) => selects(selector, w.spec.template.metadata.labels)).map((w) => w.metadata.name);

/** The environment a container starts with, resolved as the kubelet does; Secrets the operator creates get a stand-in. */
export function environmentOf(manifests: Manifest[], workload: Manifest): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container(workload).env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.secretKeyRef) {
      const secret = manifests.find((m) => m.kind === 'Secret' && m.metadata.name === e.valueFrom.secretKeyRef.name);
      const value = secret?.data?.[e.valueFrom.secretKeyRef.key];
      if (secret && value === undefined) throw new Error(`Secret ${secret.metadata.name} has no ${e.valueFrom.secretKeyRef.key}`);
      env[e.name] = secret ? Buffer.from(value!, 'base64').toString('utf8') : `from-secret:${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`;
    } else throw new Error(`unresolvable env ${e.name}`);
  }
  return env;
}

/** The config role's volume as the kubelet materialises it, in a temp dir. */
export function materialiseConfigFiles(manifests: Manifest[]): { dir: string; configDir: string; subPath?: string } {
  const d = deployment(manifests, 'config');
  const configDir = environmentOf(manifests, d).DAVMESH_CONFIG_DIR;
  const mount = (container(d).volumeMounts as any[]).find((m) => m.mountPath === configDir);
  if (!mount) throw new Error(`nothing is mounted at DAVMESH_CONFIG_DIR ${configDir}`);
  const volume = (podSpec(d).volumes as any[]).find((v) => v.name === mount.name);
  const data = named(manifests, 'ConfigMap', volume.configMap.name).data ?? {};
  const dir = mkdtempSync(join(tmpdir(), 'davmesh-helm-config-'));
  const items: { key: string; path: string }[] = volume.configMap.items ?? Object.keys(data).map((key) => ({ key, path: key }));
  const missing = Object.keys(data).filter((key) => !items.some((i) => i.key === key));
  if (missing.length) throw new Error(`ConfigMap keys not mounted: ${missing.join(', ')}`);
  for (const { key, path } of items) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data[key]);
  }
  return { dir, configDir, subPath: mount.subPath };
}
