/**
 * `npm run bench`: runs each bench module and writes its section of docs/benchmarks.md
 * (between `<!-- bench:<name> -->` markers, so modules leave each other's figures alone).
 * Add a module by adding it to BENCHES.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { caldavBench } from './caldav.section';
import { carddavBench } from './carddav.section';
import { clusterBench } from './cluster.section';
import { loadBench } from './load.section';
import { startupBench } from './startup.section';

export interface BenchArgs {
  target?: string;
  user?: string;
  password?: string;
  book?: string;
  /** `--calendar <path>` on the target, for the CalDAV bench. */
  calendar?: string;
  contacts: number;
  /** Calendar objects at the small and the large size. */
  events: number;
  eventsLarge: number;
  baseline: number;
  radicale: boolean;
  /** `--cluster`: measured seconds per cluster shape, and concurrent clients. */
  clusterSeconds: number;
  clusterClients: number;
  /** `--only load`: measured and warm-up seconds per workload and client count, the client counts, and which servers (all when unset). */
  loadSeconds: number;
  loadWarmupSeconds: number;
  loadClients: number[];
  loadServers?: string[];
  loadEvents: number;
  loadContacts: number;
}

export interface BenchModule {
  name: string;
  /** Markdown of this module's section, figures included. */
  run(args: BenchArgs): Promise<string>;
}

const BENCHES: BenchModule[] = [carddavBench, caldavBench];
/** Run only when asked (`--cluster`, `--only startup`, `--only load`): they start clusters of processes. */
const OPT_IN: BenchModule[] = [clusterBench, startupBench, loadBench];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      target: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      book: { type: 'string' },
      calendar: { type: 'string' },
      events: { type: 'string', default: '2000' },
      'events-large': { type: 'string', default: '20000' },
      contacts: { type: 'string', default: '5000' },
      baseline: { type: 'string', default: '500' },
      'no-radicale': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      cluster: { type: 'boolean', default: false },
      'cluster-seconds': { type: 'string', default: '30' },
      'cluster-clients': { type: 'string', default: '8' },
      'load-seconds': { type: 'string', default: '5' },
      'load-warmup': { type: 'string', default: '1' },
      'load-clients': { type: 'string', default: '1,8' },
      'load-servers': { type: 'string' },
      'load-events': { type: 'string', default: '2000' },
      'load-contacts': { type: 'string', default: '1000' },
    },
  });
  const args: BenchArgs = {
    target: values.target,
    user: values.user,
    password: values.password,
    book: values.book,
    calendar: values.calendar,
    events: Number(values.events),
    eventsLarge: Number(values['events-large']),
    contacts: Number(values.contacts),
    baseline: Number(values.baseline),
    radicale: !values['no-radicale'],
    clusterSeconds: Number(values['cluster-seconds']),
    clusterClients: Number(values['cluster-clients']),
    loadSeconds: Number(values['load-seconds']),
    loadWarmupSeconds: Number(values['load-warmup']),
    loadClients: values['load-clients'].split(',').map(Number),
    loadServers: values['load-servers']?.split(','),
    loadEvents: Number(values['load-events']),
    loadContacts: Number(values['load-contacts']),
  };
  const selected = values.cluster ? [clusterBench] : [...BENCHES, ...OPT_IN].filter((b) => (values.only ? b.name === values.only : BENCHES.includes(b)));
  for (const bench of selected) {
    const started = Date.now();
    process.stderr.write(`bench ${bench.name}: running on ${cpus().length} cores\n`);
    const section = await bench.run(args);
    process.stdout.write(`${section}\n`);
    process.stderr.write(`bench ${bench.name}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    if (!values['no-write']) writeSection(bench.name, section);
  }
}

/**
 * Replaces the bench's own section of docs/benchmarks.md as soon as it is measured. The file is
 * read now, not when the run began: edits made to it during a run of many minutes stay.
 */
function writeSection(name: string, section: string): void {
  const file = join(__dirname, '..', 'docs', 'benchmarks.md');
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nWritten by `npm run bench`; each section is replaced by its own run.\n';
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const block = `${open}\n${section.trim()}\n${close}`;
  const at = doc.indexOf(open);
  writeFileSync(file, at >= 0 ? doc.slice(0, at) + block + doc.slice(doc.indexOf(close) + close.length) : `${doc.trimEnd()}\n\n${block}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
