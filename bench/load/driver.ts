import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type IncomingHttpHeaders } from 'node:http';
import { davHttpBytes, type DavHttpAnswer } from '@davmesh/testing';

/**
 * An answer as the load checks read it: the body's bytes, and its text only when a check asks.
 * A large body made into a string cost the driver about 1.5 ms on a Firecracker VM (fresh pages),
 * and the checks of the large answers recognise a body they have read before by its bytes.
 */
export class LoadAnswer implements DavHttpAnswer {
  private decoded: string | undefined;

  constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    readonly body: Buffer,
  ) {}

  get text(): string {
    return (this.decoded ??= this.body.toString('utf8'));
  }
}

/** One simulated client: its own kept-alive connection to one base URL. */
export class LoadClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  /** Requests sent, for units of work that take several (a full sync's pages). */
  requests = 0;

  constructor(
    readonly index: number,
    readonly url: string,
    private readonly authorization: string,
    private readonly timeoutMs: number,
  ) {}

  async send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<LoadAnswer> {
    this.requests++;
    const answer = await davHttpBytes(`${this.url}${path}`, method, body, {
      agent: this.agent,
      timeoutMs: this.timeoutMs,
      headers: { Authorization: this.authorization, 'User-Agent': 'davmesh-load-bench', ...headers },
    });
    return new LoadAnswer(answer.status, answer.headers, answer.body);
  }

  close(): void {
    this.agent.destroy();
  }
}

/** What came of running one unit of work repeatedly for a while. */
export interface RunFigures {
  clients: number;
  /** Units answered as expected, and the requests they took. */
  ok: number;
  okRequests: number;
  failed: number;
  /** Failure reason → how often (the first 120 characters of the check's message). */
  failures: Record<string, number>;
  /** Deviations the check let pass (an answer with more than asked, still usable) → how often. */
  tolerated: Record<string, number>;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU over the measured window, in cores (CPU seconds per second). */
  cores: number;
  /** The load driver's own CPU (this process), in cores: it shares the machine with the server. */
  driverCores: number;
}

/** A unit of work by one client; throws with the reason when the answer is not the expected one, returns what it tolerated. */
export type Unit = (client: LoadClient, i: number) => Promise<string | void>;

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : 0;
}

/**
 * Runs `unit` from every client back to back for `seconds`: each client starts its next unit
 * as soon as the last one is answered and checked, as long as the time is not up (a unit under
 * way then finishes and counts; the elapsed time runs until the last one is done).
 */
export async function runFor(clients: LoadClient[], seconds: number, unit: Unit, cpuMs: () => number): Promise<RunFigures> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const tolerated: Record<string, number> = {};
  let failed = 0;
  let okRequests = 0;
  let sequence = 0;
  const cpuBefore = cpuMs();
  const driverBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const sentBefore = client.requests;
        const t0 = performance.now();
        try {
          const deviation = await unit(client, sequence++);
          if (deviation) tolerated[deviation] = (tolerated[deviation] ?? 0) + 1;
          latencies.push(performance.now() - t0);
          okRequests += client.requests - sentBefore;
        } catch (error) {
          failed++;
          const reason = ((error as Error).message ?? String(error)).slice(0, 120);
          failures[reason] = (failures[reason] ?? 0) + 1;
          // A refused or cut connection fails at once: do not spin on it.
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const cores = (cpuMs() - cpuBefore) / elapsedMs;
  const driver = process.cpuUsage(driverBefore);
  const driverCores = (driver.user + driver.system) / 1000 / elapsedMs;
  latencies.sort((a, b) => a - b);
  return { clients: clients.length, ok: latencies.length, okRequests, failed, failures, tolerated, elapsedMs, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), cores, driverCores };
}
