import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBusClient, type BusClient } from '@davmesh/bus';
import { CalendarFoldersList, CalendarObjectsPut, ContextsAdd, UsersAdd } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode } from '@davmesh/runtime';
import { createTestDatabase, randomSubjectPrefix, TEST_NATS_URL } from '@davmesh/testing';
import { basicTarget, benchCalendar, makeCalendar } from './caldav.bench';
import { davRequest, GETETAG, inParallel } from './http-timing';
import { fmt, table, withRadicale, withXandikos, type BenchRun } from './peers';
import { type BenchArgs, type BenchModule } from './run';

const root = join(__dirname, '..');

/** Seeds through the bus (8 in flight): what a migration would do, and far faster than HTTP. */
function busSeeder(bus: BusClient, userId: number, objects: number) {
  return async (ical: (i: number) => string, name: (i: number) => string) => {
    const folder = (await bus.call(CalendarFoldersList, { userId })).find((f) => f.collectionName === 'bench');
    if (!folder) throw new Error('MKCALENDAR did not create the bench calendar');
    await inParallel(objects, 8, async (i) => {
      await bus.call(CalendarObjectsPut, { userId, folderId: folder.folderId, name: name(i), ical: ical(i) }, { timeoutMs: 30_000 });
    });
  };
}

async function embeddedRun(objects: number): Promise<BenchRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'davmesh-caldav-bench-'));
  const node = await startNode(loadSettings({ DAVMESH_DATA: dataDir, PORT: '0' }, 'all'), createLogger({ level: 'silent' }), { seedDemo: true });
  try {
    const user = await node.bus.call(UsersAdd, { login: 'bench', password: 'bench', contextId: 1 });
    const target = basicTarget(node.url!, 'bench', 'bench');
    await makeCalendar(target, '/dav/caldav/bench/');
    const result = await benchCalendar(target, '/dav/caldav/bench/', objects, busSeeder(node.bus, user.userId, objects));
    return { label: `davmesh embedded, ${objects}`, ...result };
  } finally {
    await node.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function spawnRole(role: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['-r', './tools/register.cjs', 'apps/davmesh/src/main.ts', 'serve', '--role', role], {
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' },
    stdio: 'ignore',
  });
}

/** Peak resident memory of a process so far (Linux VmHWM), in MiB. */
function peakMiB(pid: number): number {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

/** Each role its own process over NATS and PostgreSQL; also reports the edge's peak memory under PROPFIND Depth 1. */
async function distributedRun(objects: number): Promise<BenchRun & { edgePeakMiB: number }> {
  const database = await createTestDatabase();
  const prefix = randomSubjectPrefix();
  const port = String(18000 + Math.floor(Math.random() * 1000));
  const env = { NATS_URL: TEST_NATS_URL, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, PORT: port, HOST: '127.0.0.1' };
  const children = ['config', 'calendar', 'contacts', 'edge'].map((role) => spawnRole(role, env));
  const bus = await createBusClient({ kind: 'nats', servers: TEST_NATS_URL, prefix }, 'bench');
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300 && !(await fetch(url).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 100 && !(await bus.request(ContextsAdd, { contextId: 1 })).ok; i++) await new Promise((r) => setTimeout(r, 200));
    const user = await bus.call(UsersAdd, { login: 'bench', password: 'bench', contextId: 1 });
    const target = basicTarget(url, 'bench', 'bench');
    await makeCalendar(target, '/dav/caldav/bench/');
    const result = await benchCalendar(target, '/dav/caldav/bench/', objects, busSeeder(bus, user.userId, objects));
    await davRequest(target, 'PROPFIND', '/dav/caldav/bench/', GETETAG, { Depth: '1' });
    return { label: `davmesh distributed, ${objects}`, ...result, edgePeakMiB: peakMiB(children[3].pid!) };
  } finally {
    await bus.close();
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await database.drop().catch(() => undefined);
  }
}

async function peerRun(url: string, label: string, home: string, objects: number): Promise<BenchRun> {
  const target = basicTarget(url, 'bench', 'bench');
  const path = `${home}bench-${Date.now()}/`;
  await makeCalendar(target, path);
  return { label: `${label}, ${objects}`, ...(await benchCalendar(target, path, objects)) };
}

export const caldavBench: BenchModule = {
  name: 'caldav',
  async run(args: BenchArgs): Promise<string> {
    if (args.target) {
      if (!args.user || !args.password || !args.calendar) throw new Error('--target needs --user, --password and --calendar <new collection path>');
      const run = await peerRun(args.target, args.target, args.calendar.replace(/[^/]+\/?$/, ''), args.events);
      return ['## CalDAV', '', table([run], [])].join('\n');
    }
    const runs: BenchRun[] = [await embeddedRun(args.events), await embeddedRun(args.eventsLarge)];
    const distributed = await distributedRun(args.events);
    const distributedLarge = await distributedRun(args.eventsLarge);
    runs.push(distributed, distributedLarge);
    const radicale = args.radicale ? await withRadicale((url) => peerRun(url, 'Radicale 3 (loopback)', '/bench/', args.events)) : undefined;
    if (radicale) runs.push(radicale);
    const xandikos = await withXandikos((url) => peerRun(url, 'Xandikos (loopback)', '/bench/calendars/', args.events));
    if (xandikos) runs.push(xandikos);
    const ratios: [number, number][] = [[1, 0], [3, 2]];
    if (radicale) ratios.push([runs.indexOf(radicale), 0]);
    if (xandikos) ratios.push([runs.indexOf(xandikos), 0]);
    return [
      '## CalDAV',
      '',
      `Run ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}; client and servers on one machine over loopback, requests one at a time.`,
      'Events spread from 25 days back to 330 days ahead (inside the default sync window), every tenth a weekly series; the query asks the next 30 days; the sync figure times only the sync-collection REPORT after 10 PUTs and checks it returns exactly those 10.',
      `Seeding: ${runs.map((r) => `${r.label} in ${fmt(r.seedSeconds)} s`).join('; ')} (davmesh through the bus, peers over HTTP).`,
      `Edge peak memory (VmHWM of the edge process, distributed mode, after PROPFIND Depth 1): ${fmt(distributed.edgePeakMiB, 0)} MiB at ${args.events}, ${fmt(distributedLarge.edgePeakMiB, 0)} MiB at ${args.eventsLarge} objects.`,
      'Ratios are p50 latency (a ratio above 1 means the first column named is slower).',
      '',
      table(runs, ratios),
      '',
    ].join('\n');
  },
};
