import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase } from '@davmesh/runtime';
import {
  createTestDatabase,
  randomSubjectPrefix,
  RoleProcess,
  SOURCE_LAUNCH,
  TEST_NATS_URL,
  type RoleLaunch,
  type ServeRole,
} from '@davmesh/testing';
import { type BenchModule } from './run';

const ROOT = join(__dirname, '..');
const IDLE_MS = 5000;
const RUNS = 2;

const COMPILED_LAUNCH: RoleLaunch = { node: process.execPath, entry: [join(ROOT, 'dist', 'apps', 'davmesh', 'src', 'main.js')], cwd: ROOT };

interface Figure {
  readyMs: number;
  rssMiB: number;
}

function rssMiB(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
}

/** Starts a role, times spawn to ready (edge listening / service ready), then reads its RSS after IDLE_MS idle. */
async function measure(role: RoleProcess): Promise<Figure> {
  const started = Date.now();
  await role.start();
  const readyMs = Date.now() - started;
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  return { readyMs, rssMiB: rssMiB(role.pid!) };
}

const SHAPES: { label: string; role: ServeRole }[] = [
  { label: 'config', role: 'config' },
  { label: 'calendar', role: 'calendar' },
  { label: 'contacts', role: 'contacts' },
  { label: 'edge', role: 'edge' },
  { label: '`npm start` (embedded, all roles)', role: 'all' },
];

/** One run of every shape with one launch: the distributed roles side by side on the shared NATS and PostgreSQL (schema migrated beforehand), then embedded. */
async function runOnce(launch: RoleLaunch): Promise<Map<string, Figure>> {
  const figures = new Map<string, Figure>();
  const db = await createTestDatabase();
  const data = mkdtempSync(join(tmpdir(), 'davmesh-bench-start-'));
  const running: RoleProcess[] = [];
  try {
    await migrateDatabase(db.url);
    const env = { NATS_URL: TEST_NATS_URL, DATABASE_URL: db.url, DAVMESH_SUBJECT_PREFIX: randomSubjectPrefix(), PORT: '0', DAVMESH_MIGRATIONS: 'wait' };
    for (const { label, role } of SHAPES) {
      const processEnv = role === 'all' ? { NATS_URL: '', DAVMESH_DATA: data, PORT: '0', DAVMESH_CONFIG_DIR: join(data, 'config') } : env;
      const started = new RoleProcess(role, label, processEnv, launch);
      running.push(started);
      figures.set(label, await measure(started));
      if (role === 'all') await started.signal('SIGTERM');
    }
  } finally {
    for (const p of running.reverse()) await p.signal('SIGTERM');
    await db.drop();
    rmSync(data, { recursive: true, force: true });
  }
  return figures;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * `npm run bench -- --only startup`: start to ready and idle RSS of each role, run from the
 * sources through @swc-node/register (as `npm start` does) and from the compiled build (as the image does).
 */
export const startupBench: BenchModule = {
  name: 'startup',
  async run() {
    execFileSync(process.execPath, [join(ROOT, 'tools', 'build.cjs')], { cwd: ROOT, stdio: 'inherit' });
    const launches = [
      { name: 'sources (SWC at run time)', launch: SOURCE_LAUNCH },
      { name: 'compiled (`dist/`)', launch: COMPILED_LAUNCH },
    ];
    const results = new Map<string, Map<string, Figure[]>>();
    for (let run = 0; run < RUNS; run++) {
      for (const { name, launch } of launches) {
        const figures = await runOnce(launch);
        const byShape = results.get(name) ?? new Map<string, Figure[]>();
        for (const [label, figure] of figures) byShape.set(label, [...(byShape.get(label) ?? []), figure]);
        results.set(name, byShape);
      }
    }
    const cell = (name: string, label: string) => {
      const figures = results.get(name)!.get(label)!;
      return { readyMs: median(figures.map((f) => f.readyMs)), rssMiB: median(figures.map((f) => f.rssMiB)) };
    };
    const rows = SHAPES.map(({ label }) => {
      const before = cell(launches[0].name, label);
      const after = cell(launches[1].name, label);
      return `| ${label} | ${(before.readyMs / 1000).toFixed(1)} s | ${(after.readyMs / 1000).toFixed(1)} s | ${before.rssMiB.toFixed(0)} MiB | ${after.rssMiB.toFixed(0)} MiB |`;
    });
    return [
      '## Start to ready and idle memory per role (`npm run bench -- --only startup`)',
      '',
      `Run ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, other work running on the machine; median of ${RUNS} runs.`,
      'Each role is its own process on the shared NATS and PostgreSQL (schema migrated beforehand, roles with `DAVMESH_MIGRATIONS=wait`), started config, calendar, contacts, edge, each beside the ones before;',
      `then \`serve --role all\` without NATS_URL on a fresh data directory (what \`npm start\` runs). Ready: spawn until it logs \`service ready\` (a domain role) or \`edge listening\`. RSS: VmRSS ${IDLE_MS / 1000} s after ready, no requests.`,
      '"Sources" is `node -r ./tools/register.cjs apps/davmesh/src/main.ts` (SWC transpiles every module at start); "compiled" is `node dist/apps/davmesh/src/main.js`, the image\'s entry point.',
      '',
      '| process | ready, sources | ready, compiled | idle RSS, sources | idle RSS, compiled |',
      '|---|---|---|---|---|',
      ...rows,
    ].join('\n');
  },
};
