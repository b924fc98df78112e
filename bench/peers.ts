import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Measurement } from './http-timing';

/** One server measured at one size. */
export interface BenchRun {
  label: string;
  seedSeconds: number;
  measurements: Measurement[];
}

const RADICALE_PORT = 5232;

/** Radicale from the Debian package, on loopback, any login accepted: the same-sitting peer baseline. */
export async function withRadicale<T>(work: (url: string) => Promise<T>): Promise<T | undefined> {
  if (spawnSync('radicale', ['--version']).status !== 0) return undefined;
  const storage = mkdtempSync(join(tmpdir(), 'radicale-bench-'));
  const child: ChildProcess = spawn(
    'radicale',
    ['--server-hosts', `127.0.0.1:${RADICALE_PORT}`, '--auth-type', 'none', '--storage-filesystem-folder', storage, '--logging-level', 'warning'],
    { stdio: 'ignore' },
  );
  try {
    const url = `http://127.0.0.1:${RADICALE_PORT}`;
    for (let i = 0; i < 50; i++) {
      if (await fetch(url).then(() => true, () => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return await work(url);
  } finally {
    child.kill('SIGTERM');
    rmSync(storage, { recursive: true, force: true });
  }
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** One column per run; then p50 ratios: each `[numerator, denominator]` pair of run indexes. */
export function table(runs: BenchRun[], ratios: [number, number][]): string {
  const cell = (run: BenchRun, name: string) => {
    const m = run.measurements.find((x) => x.name === name);
    return m ? `${fmt(m.requestsPerSecond)} req/s, p50 ${fmt(m.p50Ms)} ms, p99 ${fmt(m.p99Ms)} ms` : 'n/a';
  };
  const ratio = (name: string, [a, b]: [number, number]) => {
    const x = runs[a].measurements.find((m) => m.name === name);
    const y = runs[b].measurements.find((m) => m.name === name);
    return x && y ? `${fmt(x.p50Ms / y.p50Ms, 2)}×` : 'n/a';
  };
  const names = runs[0].measurements.map((m) => m.name);
  const header = `| workload | ${runs.map((r) => r.label).join(' | ')} | ${ratios.map(([a, b]) => `p50: ${runs[a].label} ÷ ${runs[b].label}`).join(' | ')} |`;
  const rule = `|${'---|'.repeat(1 + runs.length + ratios.length)}`;
  return [header, rule, ...names.map((name) => `| ${name} | ${runs.map((r) => cell(r, name)).join(' | ')} | ${ratios.map((p) => ratio(name, p)).join(' | ')} |`)].join(
    '\n',
  );
}

