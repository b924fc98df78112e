import { rmSync } from 'node:fs';
import { DavLoad, LOG_LEVEL, RoleProcess, waitFor } from '@davmesh/testing';
import { migratedDataDir } from './embedded-data-dir.fixture';

const GRACE_SECONDS = 20;

describe('npm start (embedded mode): SIGTERM under load', () => {
  let dataDir: string;
  let server: RoleProcess;

  beforeAll(async () => {
    // A migrated, empty data directory: what is tested is the stop, not the first boot's migrations.
    dataDir = await migratedDataDir();
    // NATS_URL empty: embedded mode whatever the test's environment says.
    server = new RoleProcess('all', 'embedded', { DAVMESH_DATA: dataDir, NATS_URL: '', PORT: '0', DAVMESH_SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) });
  });

  afterAll(async () => {
    await server.signal('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers the requests it took, exits 0 within the grace without an error, and keeps every acknowledged write', async () => {
    await server.start();
    const load = await DavLoad.start({ edges: () => (server.url ? [server.url] : []), login: 'demo', password: 'demo', clients: 4 });
    let stop: { code: number | null; signal: NodeJS.Signals | null; ms: number };
    let sent: number;
    try {
      await waitFor(() => load.acknowledged.size >= 20, 120_000);
      sent = Date.now();
      stop = { ...(await server.signal('SIGTERM', 2 * GRACE_SECONDS * 1000)), ms: Date.now() - sent };
    } finally {
      await load.stop();
    }
    const summary = load.summary();
    expect(stop).toMatchObject({ code: 0, signal: null });
    expect(stop.ms).toBeLessThan(GRACE_SECONDS * 1000);
    expect(server.logs.filter((l) => l.level >= LOG_LEVEL.error)).toEqual([]);
    expect(server.logs.some((l) => l.msg === 'stopped')).toBe(true);
    expect(summary.serverErrors).toEqual([]);
    // Requests in flight when the signal came were answered.
    expect(load.records.some((r) => r.status > 0 && r.at < sent && r.at + r.ms > sent)).toBe(true);
    expect(summary.failedReads).toEqual([]);
    // Once it stopped listening, connections were refused; none it had accepted was cut.
    expect(summary.noAnswer.filter((r) => !/ECONNREFUSED|no edge is up/.test(r.error ?? ''))).toEqual([]);

    // The data directory was closed cleanly: a new start opens it and has every write.
    await server.start();
    const verification = await load.verify();
    expect(verification.lostWrites).toEqual([]);
    expect(verification.storedButReportedFailed).toEqual([]);
    process.stdout.write(`embedded SIGTERM: ${summary.requests} requests, ${summary.acknowledgedWrites} acknowledged writes, stopped in ${stop.ms} ms\n`);
    expect((await server.signal('SIGTERM', 2 * GRACE_SECONDS * 1000)).code).toBe(0);
  }, 300_000);
});
