import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { type RoleLaunch } from '@davmesh/testing';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..');

/** The node binary the compiled build runs on: DAVMESH_TEST_NODE (another Node version) or this one. */
export const RUNTIME_NODE = process.env.DAVMESH_TEST_NODE?.trim() || process.execPath;

export interface CompiledRuntime {
  /** Where the image's /app is laid out: package files, production node_modules, dist/. */
  dir: string;
  launch: RoleLaunch;
  /** Runs one command of the compiled CLI to its end. */
  cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Every file under the runtime directory with its size and mtime, to show nothing was written there. */
  snapshot(): Map<string, string>;
  remove(): void;
}

/**
 * Does what the Dockerfile does, as local steps: `npm run build`, then a directory with
 * package.json, package-lock.json, `npm ci --omit=dev` (offline, from the npm cache) and dist/.
 * Nothing of the repository's node_modules is reachable from there, so a package the build
 * needs at run time but the production install lacks fails to load.
 */
export async function assembleCompiledRuntime(): Promise<CompiledRuntime> {
  await run(process.execPath, [join(root, 'tools', 'build.cjs')], { cwd: root });
  const dir = mkdtempSync(join(tmpdir(), 'davmesh-app-'));
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(root, file), join(dir, file));
  await run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
  });
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  const entry = join(dir, 'dist', 'apps', 'davmesh', 'src', 'main.js');
  return {
    dir,
    launch: { node: RUNTIME_NODE, entry: [entry], cwd: dir },
    async cli(args, env) {
      try {
        const { stdout, stderr } = await run(RUNTIME_NODE, [entry, ...args], { cwd: dir, env: { PATH: process.env.PATH, ...env }, timeout: 120_000 });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
      }
    },
    snapshot() {
      const files = new Map<string, string>();
      const walk = (at: string) => {
        for (const entry of readdirSync(at, { withFileTypes: true })) {
          const path = join(at, entry.name);
          if (entry.isDirectory()) walk(path);
          else {
            const stat = statSync(path);
            files.set(relative(dir, path), `${stat.size}:${stat.mtimeMs}`);
          }
        }
      };
      walk(dir);
      return files;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
