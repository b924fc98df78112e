import { performance } from 'node:perf_hooks';
import { davHttp } from '@davmesh/testing';

/** One measured workload: how many requests, how fast, and the latency spread. */
export interface Measurement {
  name: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface DavTarget {
  /** Base URL, no trailing slash. */
  url: string;
  authorization: string;
  userAgent: string;
}

export function davRequest(target: DavTarget, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return davHttp(`${target.url}${path}`, method, body, { headers: { Authorization: target.authorization, 'User-Agent': target.userAgent, ...headers } });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `once` sequentially `count` times after `warmup` unmeasured runs; `once` throws on a wrong answer. */
export async function measure(name: string, count: number, once: (i: number) => Promise<void>, warmup = 2): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) await once(i);
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await once(i + warmup);
    latencies.push(performance.now() - t0);
  }
  return summarize(name, latencies, performance.now() - started);
}

/** Latencies of sequential requests (ms) and the wall time they took → a measurement. */
export function summarize(name: string, latencies: number[], elapsedMs: number): Measurement {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { name, requests: sorted.length, requestsPerSecond: (sorted.length * 1000) / elapsedMs, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

/** Runs tasks with at most `width` in flight. */
export async function inParallel(total: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

export function expectStatus(response: { status: number; text: string }, status: number | number[], what: string): void {
  if (!([] as number[]).concat(status).includes(response.status)) throw new Error(`${what}: ${response.status} ${response.text.slice(0, 300)}`);
}

export function count(text: string, pattern: RegExp): number {
  return (text.match(pattern) ?? []).length;
}

export function syncTokenOf(text: string): string {
  return /<(?:\w+:)?sync-token>([^<]+)<\/(?:\w+:)?sync-token>/.exec(text)?.[1] ?? '';
}

export const syncCollection = (token: string) =>
  `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;

export const GETETAG = '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>';

export const DAVX5_UA = 'DAVx5/4.4.1-ose (2024/06/01; dav4jvm; okhttp/4.12.0) Android/14';

/**
 * The incremental sync workload: follow the initial sync to its end (servers that cap it
 * answer 507 and a token), then `rounds` times make ten changes with `change` (not timed)
 * and time the sync-collection that must return exactly those ten.
 */
export async function measureIncrementalSync(
  name: string,
  target: DavTarget,
  collection: string,
  rounds: number,
  change: (round: number, k: number) => Promise<void>,
): Promise<Measurement> {
  let token = '';
  for (let page = 0; page < 1000; page++) {
    const initial = await davRequest(target, 'REPORT', collection, syncCollection(token), { Depth: '1' });
    expectStatus(initial, 207, 'initial sync');
    token = syncTokenOf(initial.text);
    if (!/HTTP\/1\.1 507/.test(initial.text)) break;
  }
  const latencies: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < 10; k++) await change(round, k);
    const t0 = performance.now();
    const response = await davRequest(target, 'REPORT', collection, syncCollection(token), { Depth: '1' });
    latencies.push(performance.now() - t0);
    expectStatus(response, 207, 'incremental sync');
    const answered = count(response.text, /getetag>/g) / 2;
    if (answered !== 10) throw new Error(`incremental sync answered ${answered} changes, not 10`);
    token = syncTokenOf(response.text);
  }
  return summarize(name, latencies, latencies.reduce((x, y) => x + y, 0));
}
