import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEmbeddedDavmesh, benchTarget, type BenchRun } from './carddav.bench';
import { type BenchArgs, type BenchModule } from './run';

const RADICALE_PORT = 5232;

/** Radicale from the Debian package, on loopback, any login accepted: the same-sitting peer baseline. */
async function withRadicale<T>(work: (url: string) => Promise<T>): Promise<T | undefined> {
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

const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** One column per run; then p50 ratios: each `[numerator, denominator]` pair of run indexes. */
function table(runs: BenchRun[], ratios: [number, number][]): string {
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

export const carddavBench: BenchModule = {
  name: 'carddav',
  async run(args: BenchArgs): Promise<string> {
    const runs: BenchRun[] = [];
    if (args.target) {
      if (!args.user || !args.password) throw new Error('--target needs --user and --password');
      const bookPath = args.book ?? `/${args.user}/davmesh-bench-${Date.now()}/`;
      runs.push(await benchTarget(args.contacts, { url: args.target, user: args.user, password: args.password, bookPath }, args.target));
    } else {
      runs.push(await benchEmbeddedDavmesh(args.contacts));
      runs.push(await benchEmbeddedDavmesh(args.baseline));
      if (args.radicale) {
        // At the baseline size: Radicale stores a file per contact, and 5,000 of them would not fit the run's three minutes.
        const radicale = await withRadicale((url) =>
          benchTarget(args.baseline, { url, user: 'bench', password: 'bench', bookPath: `/bench/book-${Date.now()}/` }, 'Radicale 3 (loopback)'),
        );
        if (radicale) runs.push(radicale);
      }
    }
    const seeded = runs.map((r) => `${r.label}: ${r.contacts} PUTs (8 in flight) in ${fmt(r.seedSeconds)} s`).join('; ');
    return [
      '## CardDAV',
      '',
      `Run ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, client and servers on one machine over loopback, requests one at a time.`,
      'PROPFIND Depth 1 asks getetag of every contact; multiget asks getetag and address-data of 50; the aggregated collection is `/dav/carddav/Contacts/` with an Apple Address Book user agent (the seeded folder plus the small global address list);',
      'the sync figure times only the sync-collection REPORT that follows 10 PUTs, and checks it returns exactly those 10.',
      `Seeding: ${seeded}.`,
      '',
      table(runs, args.target ? [] : runs.length > 2 ? [[0, 1], [2, 1]] : [[0, 1]]),
      '',
    ].join('\n');
  },
};
