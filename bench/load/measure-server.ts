import { performance } from 'node:perf_hooks';
import { basicAuth } from '@davmesh/testing';
import { type LoadDataset } from './dataset';
import { LoadClient, runFor, type LoadAnswer, type RunFigures } from './driver';
import { type CannedAnswer } from './node-http';
import { type LoadServer } from './servers';
import { seed, WORKLOADS, type Workload } from './workloads';

export interface LoadOptions {
  seconds: number;
  warmupSeconds: number;
  clientCounts: number[];
  requestTimeoutMs: number;
}

/** What one server did: figures by workload and client count, and what could not be run. */
export interface ServerFigures {
  label: string;
  ours: boolean;
  seedSeconds?: number;
  byWorkload: Map<string, Map<number, RunFigures>>;
  /** Workload → why its preparation failed (then it has no figures). */
  unprepared: Map<string, string>;
  /** Why the server was not measured at all. */
  unavailable?: string;
  note?: string;
}

/** A client that keeps the last answer to each method: what the node:http server then replays. */
class RecordingClient extends LoadClient {
  readonly answers: Record<string, CannedAnswer> = {};
  override async send(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<LoadAnswer> {
    const answer = await super.send(method, path, body, headers);
    this.answers[method] = { status: answer.status, contentType: String(answer.headers['content-type'] ?? 'application/xml'), body: answer.text };
    return answer;
  }
}

const MKCALENDAR = `<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>load</D:displayname><C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`;
const MKCOL_ADDRESSBOOK = `<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype><D:displayname>load</D:displayname></D:prop></D:set></D:mkcol>`;

async function makeCollections(client: LoadClient, server: LoadServer): Promise<void> {
  const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
  const calendar = await client.send('MKCALENDAR', server.collections.calendar, MKCALENDAR, XML);
  if (calendar.status !== 201) throw new Error(`MKCALENDAR: ${calendar.status} ${calendar.text.slice(0, 200)}`);
  const book = await client.send('MKCOL', server.collections.book, MKCOL_ADDRESSBOOK, XML);
  if (book.status !== 201) throw new Error(`MKCOL address book: ${book.status} ${book.text.slice(0, 200)}`);
}

const log = (line: string) => process.stderr.write(`bench load: ${line}\n`);

/**
 * Every workload against one started server, for each client count: a warm-up (not counted),
 * then `seconds` measured. `seeded: false` serves canned answers (node:http): no seeding, and
 * only the workloads marked `canned`. `capture` keeps davmesh's answers for node:http.
 */
export async function measureServer(
  label: string,
  ours: boolean,
  server: LoadServer,
  dataset: LoadDataset,
  options: LoadOptions,
  mode: { seeded: boolean; capture?: (answers: Record<string, CannedAnswer>) => void },
): Promise<ServerFigures> {
  const figures: ServerFigures = { label, ours, byWorkload: new Map(), unprepared: new Map(), note: server.note };
  const authorization = basicAuth(server.user, server.password);
  const clientsFor = (n: number) => Array.from({ length: n }, (_, i) => new LoadClient(i, server.urls[i % server.urls.length], authorization, options.requestTimeoutMs));
  const setup = new LoadClient(0, server.urls[0], authorization, options.requestTimeoutMs);
  const workloads: Workload[] = WORKLOADS.filter((w) => mode.seeded || w.canned);
  if (mode.seeded) {
    await makeCollections(setup, server);
    const seeders = clientsFor(8);
    const started = performance.now();
    await seed(seeders, server.collections, dataset);
    figures.seedSeconds = (performance.now() - started) / 1000;
    seeders.forEach((c) => c.close());
    await server.afterSeed?.();
    log(`${label}: seeded ${dataset.events} events and ${dataset.contacts} contacts in ${figures.seedSeconds.toFixed(0)} s`);
  }
  if (mode.capture) {
    const recorder = new RecordingClient(0, server.urls[0], authorization, options.requestTimeoutMs);
    try {
      for (const workload of workloads.filter((w) => w.canned)) await (await workload.prepare(server.collections, dataset, recorder))(recorder, 0);
      mode.capture(recorder.answers);
    } catch (error) {
      log(`${label}: no answers to replay with node:http: ${(error as Error).message}`);
    } finally {
      recorder.close();
    }
  }
  for (const workload of workloads) {
    let unit;
    try {
      unit = await workload.prepare(server.collections, dataset, setup);
    } catch (error) {
      figures.unprepared.set(workload.name, (error as Error).message.slice(0, 160));
      log(`${label}: ${workload.name}: cannot prepare: ${(error as Error).message}`);
      continue;
    }
    const byClients = new Map<number, RunFigures>();
    for (const n of options.clientCounts) {
      const clients = clientsFor(n);
      if (options.warmupSeconds > 0) await runFor(clients, options.warmupSeconds, unit, server.cpuMs);
      server.forgetLogs?.();
      const run = await runFor(clients, options.seconds, unit, server.cpuMs);
      clients.forEach((c) => c.close());
      server.forgetLogs?.();
      byClients.set(n, run);
      const failed = run.failed ? `, ${run.failed} failed (${Object.keys(run.failures)[0]})` : '';
      log(`${label}: ${workload.name}, ${n} client${n > 1 ? 's' : ''}: ${((run.ok * 1000) / run.elapsedMs).toFixed(1)}/s, p50 ${run.p50Ms.toFixed(1)} ms, ${run.cores.toFixed(2)} cores${failed}`);
    }
    figures.byWorkload.set(workload.name, byClients);
  }
  setup.close();
  return figures;
}
