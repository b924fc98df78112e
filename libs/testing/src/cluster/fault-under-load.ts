import { describeRequiring } from '../infrastructure';

/** The line a service logs when it answers a write from its stored outcome (Outbox.transaction). */
const WRITE_REPLAYED = 'a write asked again was answered with its stored outcome';
import { Cluster, clusterPrerequisitesMissing, type ClusterOptions } from './cluster';
import { DavLoad, type LoadSummary, type LoadVerification } from './dav-load';

export interface FaultRun {
  cluster: Cluster;
  load: DavLoad;
  summary: LoadSummary;
  verification: LoadVerification;
  /** When the fault was injected, and when the first write after it was acknowledged (epoch ms). */
  faultAt: number;
  recoveredAt: number;
}

export interface FaultRunOptions {
  cluster?: ClusterOptions;
  clients?: number;
  /** Acknowledged writes before the fault, and after recovery, before the load stops. */
  writesBefore?: number;
  writesAfter?: number;
  /** How long the cluster may take to acknowledge writes again after the fault. */
  recoveryTimeoutMs?: number;
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts a cluster, runs DAV load on it, injects `fault` once the load has written
 * `writesBefore` objects, lets it go on until `writesAfter` more writes were acknowledged
 * after the fault (nothing restarted by hand), then stops the load and reads every write back.
 * The caller asserts on the run and must `cluster.stop()` it (also when this throws: `started`).
 */
export async function runFaultUnderLoad(
  fault: (cluster: Cluster) => Promise<void>,
  options: FaultRunOptions = {},
  started: (cluster: Cluster) => void = () => undefined,
): Promise<FaultRun> {
  const cluster = await Cluster.start(options.cluster);
  started(cluster);
  await cluster.addUser('loader', 'loader-pw');
  const load = await DavLoad.start({ edges: () => cluster.edgeUrls(), login: 'loader', password: 'loader-pw', clients: options.clients ?? 6 });
  try {
    await until(() => load.acknowledged.size >= (options.writesBefore ?? 60), 120_000, 'writes before the fault');
    const faultAt = Date.now();
    await fault(cluster);
    const ackedAtFault = load.acknowledged.size;
    await until(() => load.records.some((r) => r.method === 'PUT' && r.at > faultAt && r.status === 201), options.recoveryTimeoutMs ?? 60_000, 'a write acknowledged after the fault');
    const recoveredAt = Math.min(...load.records.filter((r) => r.method === 'PUT' && r.at > faultAt && r.status === 201).map((r) => r.at + r.ms));
    await until(() => load.acknowledged.size >= ackedAtFault + (options.writesAfter ?? 120), options.recoveryTimeoutMs ?? 60_000, 'writes after the fault');
    const summary = await load.stop();
    const verification = await load.verify();
    return { cluster, load, summary, verification, faultAt, recoveredAt };
  } finally {
    await load.stop();
  }
}

/** One line for the test log: what the run counted. */
export function describeFaultRun(name: string, run: FaultRun): string {
  const { summary, verification } = run;
  return [
    `${name}: ${summary.requests} requests in ${summary.seconds.toFixed(1)} s, ${summary.acknowledgedWrites} acknowledged writes,`,
    `first write acknowledged ${run.recoveredAt - run.faultAt} ms after the fault;`,
    `statuses ${JSON.stringify(summary.statuses)};`,
    `lost ${verification.lostWrites.length}, stored but reported failed ${verification.storedButReportedFailed.length},`,
    `unanswered PUTs ${verification.unanswered} (${verification.unansweredButStored} stored); kept-alive connections reset and resent ${run.load.resent};`,
    `writes asked again and answered from their stored outcome ${run.cluster.logs().filter((l) => l.msg === WRITE_REPLAYED).length};`,
    `error log lines ${run.cluster.errorLogs().length}${run.cluster.errorLogs().length ? `: ${run.cluster.errorLogs().slice(0, 5).map((l) => JSON.stringify(l)).join(' ')}` : ''}`,
  ].join(' ');
}

/**
 * A describe block around one fault under load: the run happens once before its tests (which
 * read it through `run()`), the cluster stops after them. Skipped with a reason where nats-server
 * or PostgreSQL's binaries are missing, a failure with CI=true.
 */
export function describeFaultUnderLoad(
  name: string,
  fault: (cluster: Cluster) => Promise<void>,
  body: (run: () => FaultRun) => void,
  options: FaultRunOptions = {},
): void {
  describeRequiring(name, clusterPrerequisitesMissing(), () => {
    let cluster: Cluster | undefined;
    let result: FaultRun | undefined;
    beforeAll(async () => {
      result = await runFaultUnderLoad(fault, options, (started) => (cluster = started));
      process.stdout.write(`${describeFaultRun(name, result)}\n`);
    }, 300_000);
    afterAll(async () => {
      await cluster?.stop();
    }, 60_000);
    body(() => {
      if (!result) throw new Error('the fault run did not complete');
      return result;
    });
  });
}

/** What no fault may cause: an acknowledged write lost, a 500, a 503 without Retry-After, a stale read. */
export function expectNoHarm(run: FaultRun): void {
  expect(run.verification.lostWrites).toEqual([]);
  expect(run.summary.serverErrors).toEqual([]);
  expect(run.summary.unavailableWithoutRetryAfter).toEqual([]);
  expect(run.summary.staleReads).toEqual([]);
}
