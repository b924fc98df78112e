import { cpus, loadavg } from 'node:os';
import { LoadDataset } from './load/dataset';
import { measureServer, type LoadOptions, type ServerFigures } from './load/measure-server';
import { startNodeHttp, type CannedAnswer } from './load/node-http';
import { loadTables, NODE_HTTP } from './load/report';
import { serverSpecs } from './load/servers';
import { type BenchArgs, type BenchModule } from './run';

const log = (line: string) => process.stderr.write(`bench load: ${line}\n`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

/**
 * `npm run bench -- --only load`: concurrent keep-alive clients against davmesh (embedded, and
 * distributed with one and two replicas per role) and the peers from Debian, in one sitting,
 * every answer checked; then a node:http server replaying davmesh's answers of the same size.
 */
export const loadBench: BenchModule = {
  name: 'load',
  async run(args: BenchArgs): Promise<string> {
    const options: LoadOptions = {
      seconds: args.loadSeconds,
      warmupSeconds: args.loadWarmupSeconds,
      clientCounts: args.loadClients,
      requestTimeoutMs: Math.max(20_000, args.loadSeconds * 2000),
    };
    const dataset = new LoadDataset(args.loadEvents, args.loadContacts);
    const expected = dataset.expectedQuery();
    const loadBefore = load();
    const started = Date.now();
    const specs = serverSpecs().filter((s) => !args.loadServers || args.loadServers.includes(s.key));
    const results: ServerFigures[] = [];
    let canned: { answers: Record<string, CannedAnswer>; collections: { calendar: string; book: string } } | undefined;
    for (const spec of specs) {
      log(`${spec.label}: starting`);
      let server;
      try {
        server = await spec.start();
      } catch (error) {
        log(`${spec.label}: not measured: ${(error as Error).message}`);
        results.push({ label: spec.label, ours: spec.ours ?? false, byWorkload: new Map(), unprepared: new Map(), unavailable: (error as Error).message.split('\n')[0] });
        continue;
      }
      try {
        const collections = server.collections;
        results.push(
          await measureServer(spec.label, spec.ours ?? false, server, dataset, options, {
            seeded: true,
            capture: spec.key === 'embedded' ? (answers) => (canned = { answers, collections }) : undefined,
          }),
        );
      } catch (error) {
        log(`${spec.label}: failed: ${(error as Error).stack}\n${server.diagnostics?.() ?? ''}`);
        results.push({ label: spec.label, ours: spec.ours ?? false, byWorkload: new Map(), unprepared: new Map(), unavailable: `failed: ${(error as Error).message.slice(0, 200)}` });
      } finally {
        await server.stop();
      }
    }
    if (canned) {
      const server = await startNodeHttp(canned.answers, canned.collections);
      try {
        results.push(await measureServer(NODE_HTTP, false, server, dataset, options, { seeded: false }));
      } finally {
        await server.stop();
      }
    }
    const minutes = (Date.now() - started) / 60_000;
    const unavailable = results.filter((r) => r.unavailable);
    const seeding = results.filter((r) => r.seedSeconds !== undefined).map((r) => `${r.label} ${r.seedSeconds!.toFixed(0)} s`);
    const bodySizes = canned ? Object.entries(canned.answers).map(([method, a]) => `${method} ${(Buffer.byteLength(a.body) / 1024).toFixed(1)} KiB`) : [];
    return [
      '## Under concurrent load (`npm run bench -- --only load`)',
      '',
      `Run ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${minutes.toFixed(0)} minutes; load average (1, 5, 15 min) ${loadBefore} at the start and ${load()} at the end: other work shared the machine, so compare columns of one run rather than runs.`,
      '',
      `How measured: one calendar of ${dataset.events} events (60% single with a VTIMEZONE, 20% weekly series ending by COUNT, UNTIL or never, with EXDATEs, 20% all-day; spread over the year from 25 days back, inside davmesh's default sync window) and one address book of ${dataset.contacts} vCard 3.0 contacts, PUT over HTTP into every server alike, 8 at a time after a first one alone (not timed: ${seeding.join(', ') || 'n/a'}; DAViCal answers 500, a unique violation on its timezones table, to concurrent first PUTs of a VTIMEZONE it has not stored yet). After seeding, the databases on the machine's PostgreSQL (davmesh distributed, DAViCal) get \`ANALYZE\`, as autovacuum would give them after a bulk load: this machine's server may run with autovacuum off (the CI configuration does). davmesh embedded keeps its own statistics (PGlite has no autovacuum; davmesh runs \`VACUUM (ANALYZE)\` itself, README "Embedded database upkeep").`,
      `Each workload runs ${options.warmupSeconds} s unmeasured, then ${options.seconds} s measured, with ${options.clientCounts.join(' and then ')} concurrent clients, each on its own kept-alive connection and sending its next request as soon as the last is answered; the load driver runs in the bench process on the same machine, reading and checking every answer: where its own CPU (in brackets in the latency tables) nears a core, as against node:http on the large PROPFIND answer, the driver rather than the server is the limit.`,
      `Every answer is checked: its status and its element count (PROPFIND: ${dataset.events} or ${dataset.contacts} members with an ETag; multigets: 50 responses with data; the month's calendar-query: ${expected.objects} objects, expanded ${expected.instances} VEVENTs; the sync after 10 changes: exactly those 10, from a token taken before them; GET: the event asked for; PUT: 201).`,
      'The table counts correct answers per second; failures are counted apart and listed below. "First full sync to the end" follows sync-collection from no token through every 507 page until the collection is complete (all members counted): its figure is complete syncs per second, with the requests one took.',
      'Server CPU: user + system time from /proc of the server\'s processes over the measured seconds, in cores (2.0 = both cores busy): davmesh embedded is one process; distributed, its role processes plus the backends of its database on the shared PostgreSQL (the shared NATS is left out); Cyrus, cyrmaster and its services; DAViCal, Apache with its prefork children (mod_php) plus its database\'s backends (persistent connections); Radicale and Xandikos, their one process.',
      `Servers: davmesh embedded is \`serve\` without NATS (\`npm start\`: PGlite, every role in one process, log level info); distributed is one \`serve --role\` process per role on the machine's NATS and PostgreSQL with a fresh database and subject prefix (×2: two of each role, the clients spread over the two edges); the peers are the Debian packages on loopback, Cyrus's httpd (\`httpmodules: caldav carddav\`, sasldb logins) from a private cyrmaster configuration, DAViCal behind a private Apache (prefork, mod_php) on the machine's PostgreSQL. ${NODE_HTTP}: a node:http server in its own process answering every request with davmesh embedded's answer to the same request (${bodySizes.join(', ')}), the HTTP floor.`,
      ...(unavailable.length ? ['', `Not measured: ${unavailable.map((r) => `${r.label} (${r.unavailable})`).join('; ')}.`] : []),
      '',
      ...loadTables(results, options.clientCounts),
    ].join('\n');
  },
};
