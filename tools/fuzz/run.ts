/**
 * `npm run fuzz`: hostile inputs (iCalendar, vCard, XML bodies, headers) against an embedded server
 * in child processes (one per core by default, each server single-threaded), checking the invariants
 * of libs/fuzz on every answer.
 *
 *   npm run fuzz -- [--runs 100000] [--seed S] [--out fuzz-failures] [--lanes 4] [--servers 2]
 *                   [--bound-ms 5000] [--hang-ms 15000] [--reset-every 200] [--no-minimise]
 *   npm run fuzz -- --replay fuzz-failures     (each saved failure again; non-zero while any still fails)
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FuzzInputs, FuzzSession, inputIndexes, minimise, readFailures, ServerProcess, writeFailure, type CaseOutcome, type FuzzFailure, type FuzzStats, type Invariant } from '@davmesh/fuzz';

/**
 * Invariants an earlier input can break too (a frozen or dying server, a poisoned object in the
 * same collection that breaks its queries): confirmed alone on fresh collections before they count.
 */
const SHARED: Invariant[] = ['hang', 'no-response', 'slow', 'state-unreadable', 'stored-not-readable'];
/** Minimising repeats the input many times; not worth it when each try costs a hang. */
const COSTLY: Invariant[] = ['hang', 'slow', 'no-response'];

function serverProcess(lanes: number): ServerProcess {
  const root = join(__dirname, '..', '..');
  return new ServerProcess({ script: join(__dirname, 'embedded-server.ts'), execArgv: ['-r', join(root, 'tools', 'register.cjs')], lanes, heapMb: 1024 });
}

const line = (stats: FuzzStats, runs: number) => {
  const rate = stats.inputs / Math.max(stats.elapsedMs / 1000, 0.001);
  const eta = rate > 0 ? Math.round((runs - stats.inputs - stats.unsendable) / rate) : 0;
  return `inputs ${stats.inputs + stats.unsendable}/${runs}  ${rate.toFixed(1)}/s  failures ${stats.suspects} (5xx ${stats.serverErrors}, hangs ${stats.hangs})  restarts ${stats.restarts}  eta ${Math.floor(eta / 60)}m${eta % 60}s`;
};

const invariants = (outcome: CaseOutcome) => outcome.violations.map((v) => v.invariant);

async function fuzz(values: Record<string, string | boolean | undefined>): Promise<number> {
  const runs = Number(values.runs);
  const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  const out = String(values.out);
  const lanes = Number(values.lanes);
  const servers = Math.max(1, Number(values.servers));
  const options = { lanes, boundMs: Number(values['bound-ms']), hangMs: Number(values['hang-ms']), resetEvery: Number(values['reset-every']) };
  const sessions = Array.from({ length: servers }, () => new FuzzSession(serverProcess(lanes), options));
  const session = sessions[0];
  process.stdout.write(`fuzz: seed ${seed}, ${runs} inputs, ${servers} servers of ${lanes} lanes, failures to ${out}/\n`);
  await Promise.all(sessions.map((s) => s.open()));
  const inputs = new FuzzInputs(seed);
  const suspects: FuzzFailure[] = [];
  const claim = inputIndexes(runs);
  const total = (): FuzzStats => {
    const sum = { inputs: 0, unsendable: 0, elapsedMs: 0, suspects: 0, serverErrors: 0, hangs: 0, restarts: 0 };
    for (const { stats } of sessions) {
      for (const key of Object.keys(sum) as (keyof FuzzStats)[]) sum[key] = key === 'elapsedMs' ? Math.max(sum[key], stats[key]) : sum[key] + stats[key];
    }
    return sum;
  };
  let printed = 0;
  await Promise.all(
    sessions.map((s) =>
      s.run(
        claim,
        (i) => inputs.at(i),
        (failure) => suspects.push(failure),
        (current) => {
          if (current.elapsedMs - printed >= 5_000) {
            printed = current.elapsedMs;
            process.stdout.write(`${line(total(), runs)}\n`);
          }
        },
      ),
    ),
  );
  const stats = total();
  process.stdout.write(`${line(stats, runs)}\n`);
  await Promise.all(sessions.slice(1).map((s) => s.close()));

  let notReproduced = 0;
  const confirmed: FuzzFailure[] = [];
  const confirmationsPerGroup = new Map<string, number>();
  for (const suspect of suspects) {
    if (!invariants(suspect).some((i) => SHARED.includes(i))) {
      confirmed.push(suspect);
      continue;
    }
    const group = `${suspect.fuzzCase.kind}/${invariants(suspect).join(',')}/${suspect.fuzzCase.label.split('+')[0]}`;
    const tried = confirmationsPerGroup.get(group) ?? 0;
    if (tried >= 5) continue;
    confirmationsPerGroup.set(group, tried + 1);
    const again = await session.confirm(suspect.fuzzCase);
    if (again.violations.length) confirmed.push({ ...again, id: suspect.id });
    else notReproduced += 1;
  }

  const minimised = new Set<string>();
  for (const failure of confirmed) {
    const first = failure.violations[0].invariant;
    const group = `${failure.fuzzCase.kind}/${first}/${failure.response.status}/${failure.fuzzCase.label.split('+')[0]}`;
    let smaller;
    if (values.minimise !== false && !minimised.has(group) && !COSTLY.includes(first)) {
      minimised.add(group);
      smaller = await minimise(failure.fuzzCase, first, async (candidate) => invariants(await session.confirm(candidate)));
    }
    writeFailure(out, { ...failure, seed, index: failure.id, minimised: smaller });
  }
  await session.close();

  const byInvariant = new Map<string, number>();
  for (const failure of confirmed) for (const invariant of new Set(invariants(failure))) byInvariant.set(invariant, (byInvariant.get(invariant) ?? 0) + 1);
  process.stdout.write(
    [
      '',
      `fuzz summary (seed ${seed})`,
      `  inputs      ${stats.inputs} sent, ${stats.unsendable} not sendable by Node's HTTP client`,
      `  time        ${(stats.elapsedMs / 1000).toFixed(1)} s, ${(stats.inputs / (stats.elapsedMs / 1000)).toFixed(1)} inputs/s`,
      `  failures    ${confirmed.length} (${notReproduced} more did not reproduce alone)`,
      ...[...byInvariant].map(([invariant, count]) => `    ${invariant.padEnd(22)} ${count}`),
      `  5xx         ${stats.serverErrors}`,
      `  hangs       ${stats.hangs}`,
      `  restarts    ${stats.restarts}`,
      confirmed.length ? `  written to  ${out}/ (replay: npm run fuzz -- --replay ${out})` : '',
      '',
    ].join('\n'),
  );
  return confirmed.length ? 1 : 0;
}

async function replay(values: Record<string, string | boolean | undefined>): Promise<number> {
  const dir = String(values.replay);
  const saved = readFailures(dir);
  const session = new FuzzSession(serverProcess(1), { lanes: 1, boundMs: Number(values['bound-ms']), hangMs: Number(values['hang-ms']), resetEvery: Number(values['reset-every']) });
  await session.open();
  let failing = 0;
  for (const { file, replay: fuzzCase } of saved) {
    const outcome = await session.confirm(fuzzCase);
    if (outcome.violations.length) failing += 1;
    process.stdout.write(`${outcome.violations.length ? 'FAIL' : 'ok  '} ${file}  ${outcome.response.status || outcome.response.error} ${outcome.violations.map((v) => `${v.invariant}: ${v.detail.slice(0, 160)}`).join('; ')}\n`);
  }
  await session.close();
  process.stdout.write(`replayed ${saved.length}, still failing ${failing}\n`);
  return failing ? 1 : 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '100000' },
      seed: { type: 'string' },
      out: { type: 'string', default: 'fuzz-failures' },
      lanes: { type: 'string', default: '4' },
      servers: { type: 'string', default: '2' },
      'bound-ms': { type: 'string', default: '5000' },
      'hang-ms': { type: 'string', default: '15000' },
      'reset-every': { type: 'string', default: '200' },
      minimise: { type: 'boolean', default: true },
      'no-minimise': { type: 'boolean', default: false },
      replay: { type: 'string' },
    },
  });
  if (values['no-minimise']) values.minimise = false;
  process.exitCode = values.replay ? await replay(values) : await fuzz(values);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 2;
});
