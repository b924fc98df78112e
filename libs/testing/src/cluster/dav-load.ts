import { Agent } from 'node:http';
import { randomBytes } from 'node:crypto';
import { basicAuth } from '../multistatus';
import { eventIcs } from '../caldav';
import { davHttp, type DavHttpAnswer } from '../dav-http';

/** One request the load made and what came of it; status 0: no answer (connection refused or cut, timeout). */
export interface LoadRecord {
  method: string;
  path: string;
  edge: string;
  status: number;
  retryAfter?: string;
  error?: string;
  at: number;
  ms: number;
}

export interface LoadOptions {
  /** Base URLs of the edges up now; each request goes to the next, as a round-robin balancer would. */
  edges: () => string[];
  login: string;
  password: string;
  /** Concurrent clients, each with its own connections. */
  clients: number;
  /** Collection path the load writes into; made with MKCALENDAR at start. */
  calendar?: string;
  requestTimeoutMs?: number;
}

export interface LoadSummary {
  requests: number;
  seconds: number;
  /** `METHOD status` → count. */
  statuses: Record<string, number>;
  /** PUTs answered 201/204: the writes the server acknowledged. */
  acknowledgedWrites: number;
  serverErrors: LoadRecord[];
  /** 503s that did not say when to come back. */
  unavailableWithoutRetryAfter: LoadRecord[];
  noAnswer: LoadRecord[];
  /** GET, HEAD, PROPFIND and REPORT answered other than 2xx/304. */
  failedReads: LoadRecord[];
  /** Reads of acknowledged writes that did not show them (404, another ETag, missing from a multiget). */
  staleReads: LoadRecord[];
}

export interface LoadVerification {
  /** Acknowledged writes that a GET after the run does not return as acknowledged. */
  lostWrites: string[];
  /** PUTs answered with a failure (≥ 500) whose object is stored all the same. */
  storedButReportedFailed: string[];
  /** PUTs that got no answer (the edge died, the connection was cut), and of those how many are stored. */
  unanswered: number;
  unansweredButStored: number;
}

const READS = new Set(['GET', 'HEAD', 'PROPFIND', 'REPORT']);
const GETCTAG = '<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:getctag/><D:sync-token/></D:prop></D:propfind>';
const multiget = (hrefs: string[]) =>
  `<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>${hrefs
    .map((h) => `<D:href>${h}</D:href>`)
    .join('')}</C:calendar-multiget>`;

type HttpAnswer = DavHttpAnswer;

/**
 * Concurrent CalDAV clients writing and reading through the edges, recording every answer:
 * each client PUTs new events (`If-None-Match: *`), GETs one it wrote, asks the collection's
 * ctag (PROPFIND) and multigets its latest writes (REPORT), until stopped. `verify()` then
 * checks through a live edge that every acknowledged write is there, and which PUTs reported
 * as failed were stored all the same.
 */
export class DavLoad {
  readonly records: LoadRecord[] = [];
  /** path → ETag of every acknowledged write. */
  readonly acknowledged = new Map<string, string>();
  private readonly failedPuts = new Set<string>();
  private readonly unansweredPuts = new Set<string>();
  private running = true;
  private loops: Promise<void>[] = [];
  private nextEdge = 0;
  private readonly started = Date.now();
  private stoppedAt?: number;
  private readonly salt = randomBytes(3).toString('hex');
  private readonly authorization: string;
  readonly calendar: string;

  private constructor(private readonly options: LoadOptions) {
    this.authorization = basicAuth(options.login, options.password);
    this.calendar = options.calendar ?? `/dav/caldav/load-${this.salt}/`;
  }

  /** Makes the calendar and starts the clients. */
  static async start(options: LoadOptions): Promise<DavLoad> {
    const load = new DavLoad(options);
    const body = `<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>load</D:displayname></D:prop></D:set></C:mkcalendar>`;
    const made = await load.send(new Agent({ keepAlive: false }), 'MKCALENDAR', load.calendar, body);
    if (made.status !== 201) throw new Error(`MKCALENDAR ${load.calendar} answered ${made.status}: ${made.text}`);
    load.loops = Array.from({ length: options.clients }, (_, i) => load.client(i));
    return load;
  }

  /** Requests answered so far. */
  get count(): number {
    return this.records.length;
  }

  /** Stops the clients after their current request. */
  async stop(): Promise<LoadSummary> {
    this.running = false;
    await Promise.all(this.loops);
    this.stoppedAt ??= Date.now();
    return this.summary();
  }

  summary(): LoadSummary {
    const statuses: Record<string, number> = {};
    for (const r of this.records) statuses[`${r.method} ${r.status}`] = (statuses[`${r.method} ${r.status}`] ?? 0) + 1;
    return {
      requests: this.records.length,
      seconds: ((this.stoppedAt ?? Date.now()) - this.started) / 1000,
      statuses,
      acknowledgedWrites: this.acknowledged.size,
      serverErrors: this.records.filter((r) => r.status >= 500 && r.status !== 503),
      unavailableWithoutRetryAfter: this.records.filter((r) => r.status === 503 && !r.retryAfter),
      noAnswer: this.records.filter((r) => r.status === 0),
      failedReads: this.records.filter((r) => READS.has(r.method) && r.status !== 0 && !(r.status < 300 || r.status === 304)),
      staleReads: this.stale,
    };
  }

  private readonly stale: LoadRecord[] = [];

  /** Reads back every acknowledged and every failed PUT through the edges (retrying 503s for up to `timeoutMs`). */
  async verify(timeoutMs = 60_000): Promise<LoadVerification> {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const deadline = Date.now() + timeoutMs;
    const read = async (path: string): Promise<HttpAnswer> => {
      for (;;) {
        const answer = await this.send(agent, 'GET', path).catch((error: Error) => ({ status: 0, headers: {}, text: error.message }));
        if ((answer.status !== 503 && answer.status !== 0) || Date.now() > deadline) return answer;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    const lostWrites: string[] = [];
    const storedButReportedFailed: string[] = [];
    let unansweredButStored = 0;
    await inBatches([...this.acknowledged], 8, async ([path, etag]) => {
      const answer = await read(path);
      if (answer.status !== 200 || answer.headers.etag !== etag) lostWrites.push(`${path}: ${answer.status} ${String(answer.headers.etag)} (acknowledged ${etag})`);
    });
    await inBatches([...this.failedPuts], 8, async (path) => {
      if ((await read(path)).status === 200) storedButReportedFailed.push(path);
    });
    await inBatches([...this.unansweredPuts], 8, async (path) => {
      if ((await read(path)).status === 200) unansweredButStored++;
    });
    agent.destroy();
    return { lostWrites, storedButReportedFailed, unanswered: this.unansweredPuts.size, unansweredButStored };
  }

  private async client(index: number): Promise<void> {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const mine: string[] = [];
    try {
      for (let seq = 0; this.running; seq++) {
        const path = `${this.calendar}c${index}-${seq}-${this.salt}.ics`;
        const put = await this.record(agent, 'PUT', path, eventIcs(`load-${this.salt}-${index}-${seq}`, `load ${index}/${seq}`), {
          'Content-Type': 'text/calendar; charset=utf-8',
          'If-None-Match': '*',
        });
        if (put.status === 201 || put.status === 204) {
          this.acknowledged.set(path, String(put.headers.etag));
          mine.push(path);
        } else if (put.status >= 500) this.failedPuts.add(path);
        else if (put.status === 0) this.unansweredPuts.add(path);
        if (!this.running || mine.length === 0) continue;

        const known = mine[Math.floor(Math.random() * mine.length)];
        const get = await this.record(agent, 'GET', known);
        if (get.status === 404 || (get.status === 200 && get.headers.etag !== this.acknowledged.get(known))) this.markStale();

        if (!this.running) break;
        await this.record(agent, 'PROPFIND', this.calendar, GETCTAG, { Depth: '0' });

        if (!this.running) break;
        const latest = mine.slice(-5);
        const report = await this.record(agent, 'REPORT', this.calendar, multiget(latest), { Depth: '1' });
        if (report.status === 207 && latest.some((href) => !report.text.includes(href) || !report.text.includes(this.acknowledged.get(href)!.replace(/"/g, '')))) {
          this.markStale();
        }
      }
    } finally {
      agent.destroy();
    }
  }

  private markStale(): void {
    this.stale.push(this.records[this.records.length - 1]);
  }

  /** One request through the next live edge, recorded whatever came of it. */
  private async record(agent: Agent, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const edges = this.options.edges();
    const edge = edges[this.nextEdge++ % Math.max(1, edges.length)] ?? 'none';
    const at = Date.now();
    let answer: HttpAnswer;
    let error: string | undefined;
    try {
      answer = edge === 'none' ? { status: 0, headers: {}, text: '' } : await this.send(agent, method, path, body, headers, edge);
      if (edge === 'none') error = 'no edge is up';
    } catch (failure) {
      error = (failure as Error).message;
      answer = { status: 0, headers: {}, text: '' };
    }
    const retryAfter = answer.headers['retry-after'];
    this.records.push({ method, path, edge, status: answer.status, at, ms: Date.now() - at, ...(typeof retryAfter === 'string' ? { retryAfter } : {}), ...(error ? { error } : {}) });
    // A client that got no answer or a 503 waits a little before its next request (not the whole Retry-After: the test wants to see recovery).
    if (answer.status === 0 || answer.status === 503) await new Promise((resolve) => setTimeout(resolve, 100));
    return answer;
  }

  /** Kept-alive connections the server had closed as a request went out on them (resent once on a new one). */
  resent = 0;

  private send(agent: Agent, method: string, path: string, body?: string, headers: Record<string, string> = {}, edge?: string): Promise<HttpAnswer> {
    const base = edge ?? this.options.edges()[0];
    if (!base) return Promise.reject(new Error('no edge is up'));
    return davHttp(`${base}${path}`, method, body, {
      agent,
      timeoutMs: this.options.requestTimeoutMs ?? 30_000,
      headers: { Authorization: this.authorization, ...headers },
      onResend: () => this.resent++,
    });
  }
}

async function inBatches<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}
