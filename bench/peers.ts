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

/** A peer server started from its Debian package on loopback. */
export interface PeerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function untilAnswers(url: string, tries: number): Promise<void> {
  for (let i = 0; i < tries && !(await fetch(url).then(() => true, () => false)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Spawns a peer storing into a new temporary directory, and waits until it answers HTTP. */
async function startPeer(command: string, args: (storage: string) => string[], url: string, tempPrefix: string): Promise<PeerProcess> {
  const storage = mkdtempSync(join(tmpdir(), tempPrefix));
  const child: ChildProcess = spawn(command, args(storage), { stdio: 'ignore' });
  const stop = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    // Radicale finishes the request under way before it exits: do not wait minutes for it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    if (child.exitCode === null && child.signalCode === null) await exited;
    clearTimeout(timer);
    rmSync(storage, { recursive: true, force: true });
  };
  await untilAnswers(url, 100);
  return { url, pid: child.pid!, stop };
}

/** Radicale from the Debian package, on loopback, any login accepted. Undefined when it is not installed. */
export async function startRadicale(port = RADICALE_PORT): Promise<PeerProcess | undefined> {
  if (spawnSync('radicale', ['--version']).status !== 0) return undefined;
  return startPeer(
    'radicale',
    (storage) => ['--server-hosts', `127.0.0.1:${port}`, '--auth-type', 'none', '--storage-filesystem-folder', storage, '--logging-level', 'warning'],
    `http://127.0.0.1:${port}`,
    'radicale-bench-',
  );
}

/** Xandikos from the Debian package, on loopback, with the principal `/bench` and its default collections. Undefined when it is not installed. */
export async function startXandikos(port = 8090): Promise<PeerProcess | undefined> {
  if (spawnSync('xandikos', ['--help']).status !== 0) return undefined;
  return startPeer(
    'xandikos',
    (storage) => ['--defaults', '-d', storage, '-l', '127.0.0.1', '-p', String(port), '--current-user-principal', '/bench'],
    `http://127.0.0.1:${port}`,
    'xandikos-bench-',
  );
}

async function withPeer<T>(peer: PeerProcess | undefined, work: (url: string) => Promise<T>): Promise<T | undefined> {
  if (!peer) return undefined;
  try {
    return await work(peer.url);
  } finally {
    await peer.stop();
  }
}

/** Radicale for the length of `work`: the same-sitting peer baseline. */
export async function withRadicale<T>(work: (url: string) => Promise<T>): Promise<T | undefined> {
  return withPeer(await startRadicale(), work);
}

export async function withXandikos<T>(work: (url: string) => Promise<T>): Promise<T | undefined> {
  return withPeer(await startXandikos(), work);
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

