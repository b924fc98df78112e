import { performance } from 'node:perf_hooks';
import { type FuzzCase } from './fuzz-case';
import { DavTarget } from './dav-target';
import { runCase, type CaseOutcome } from './invariants';
import { Lane, LaneSetupError } from './lane';
import { type ServerProcess } from './server-process';

export interface FuzzSessionOptions {
  lanes: number;
  boundMs: number;
  hangMs: number;
  /** Each lane gets fresh collections after this many inputs. */
  resetEvery: number;
}

export interface FuzzStats {
  inputs: number;
  unsendable: number;
  elapsedMs: number;
  /** Inputs that broke an invariant in the run (before confirmation). */
  suspects: number;
  serverErrors: number;
  hangs: number;
  restarts: number;
}

/** A failure: the input, what was sent and answered, and the invariants it broke. */
export type FuzzFailure = CaseOutcome & { id: string };

/**
 * Runs inputs against a server process over several lanes, restarting the server when it stops
 * answering, and confirms each failure by running it again alone on fresh collections.
 */
export class FuzzSession {
  private target!: DavTarget;
  private lanes: Lane[] = [];
  private healing?: Promise<void>;
  private readonly sinceReset: number[] = [];
  stats: FuzzStats = { inputs: 0, unsendable: 0, elapsedMs: 0, suspects: 0, serverErrors: 0, hangs: 0, restarts: 0 };

  constructor(
    private readonly server: ServerProcess,
    private readonly options: FuzzSessionOptions,
  ) {}

  async open(): Promise<void> {
    const ready = this.server.ready ?? (await this.server.start());
    this.target?.close();
    this.target = new DavTarget(ready.url, this.options.boundMs, this.options.hangMs, this.options.lanes * 2);
    this.lanes = ready.users.map((user, index) => new Lane(this.target, index, user.login, user.password));
    for (const lane of this.lanes) await lane.reset();
    this.sinceReset.length = 0;
  }

  async close(): Promise<void> {
    this.target?.close();
    await this.server.stop();
  }

  /**
   * Runs inputs `source(i)` on all lanes at once, for each i that `claim` hands out until it has
   * none (sessions on several servers share one claim); `onFailure` hears of each suspect.
   */
  async run(claim: () => number | undefined, source: (index: number) => FuzzCase, onFailure: (failure: FuzzFailure) => void, onProgress?: (stats: FuzzStats) => void): Promise<FuzzStats> {
    const started = performance.now();
    const worker = async (laneIndex: number) => {
      for (let index = claim(); index !== undefined; index = claim()) {
        const outcome = await this.runOnLane(laneIndex, source(index));
        this.stats.elapsedMs = Math.round(performance.now() - started);
        if (outcome.unsendable) this.stats.unsendable += 1;
        else this.stats.inputs += 1;
        if (outcome.violations.length) {
          this.stats.suspects += 1;
          if (outcome.violations.some((v) => v.invariant === 'server-error' || (v.invariant === 'stored-not-readable' && / 5\d\d/.test(v.detail)))) this.stats.serverErrors += 1;
          if (outcome.violations.some((v) => v.invariant === 'hang')) this.stats.hangs += 1;
          onFailure({ ...outcome, id: String(index) });
        }
        onProgress?.(this.stats);
      }
    };
    await Promise.all(Array.from({ length: this.options.lanes }, (_, lane) => worker(lane)));
    this.stats.elapsedMs = Math.round(performance.now() - started);
    return this.stats;
  }

  /** The case again, alone on lane 0 with fresh collections: the violations it shows now. */
  async confirm(fuzzCase: FuzzCase): Promise<CaseOutcome> {
    await this.healthy();
    await this.resetLane(0);
    return this.runOnLane(0, fuzzCase);
  }

  private async runOnLane(laneIndex: number, fuzzCase: FuzzCase): Promise<CaseOutcome> {
    await this.healing;
    this.sinceReset[laneIndex] = (this.sinceReset[laneIndex] ?? 0) + 1;
    if (this.sinceReset[laneIndex] > this.options.resetEvery) await this.resetLane(laneIndex);
    const outcome = await runCase(this.lanes[laneIndex], fuzzCase);
    if (outcome.violations.some((v) => v.invariant === 'hang' || v.invariant === 'no-response' || v.invariant === 'state-unreadable')) await this.healthy();
    else if (outcome.changed) {
      if (['DELETE', 'MOVE'].includes(fuzzCase.request.method.toUpperCase())) await this.resetLane(laneIndex);
      else this.lanes[laneIndex].seedsMayHaveChanged();
    }
    return outcome;
  }

  private async resetLane(laneIndex: number): Promise<void> {
    this.sinceReset[laneIndex] = 0;
    try {
      await this.lanes[laneIndex].reset();
    } catch (error) {
      if (!(error instanceof LaneSetupError)) throw error;
      await this.healthy(true);
    }
  }

  /** Restarts the server when it died or no longer answers a trivial request; lanes wait meanwhile. */
  private healthy(force = false): Promise<void> {
    this.healing ??= (async () => {
      const probe = this.server.alive ? await this.lanes[0].send('OPTIONS', '/dav/') : undefined;
      if (force || !probe || probe.status === 0) {
        this.stats.restarts += 1;
        await this.server.restart();
        await this.open();
      }
    })().finally(() => {
      this.healing = undefined;
    });
    return this.healing;
  }
}

/** Hands out 0 … count-1 once each, to one session or to several sharing the run. */
export function inputIndexes(count: number): () => number | undefined {
  let next = 0;
  return () => (next < count ? next++ : undefined);
}
