import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  davHttp,
  describeWithInfrastructure,
  randomSubjectPrefix,
  RoleProcess,
  TEST_NATS_URL,
  waitFor,
  type TestDatabase,
} from '@davmesh/testing';
import { assembleCompiledRuntime, RUNTIME_NODE, type CompiledRuntime } from './compiled-runtime.fixture';

// What the image runs, laid out as the Dockerfile lays it out: compiled JavaScript and production
// dependencies only, started with plain `node` (DAVMESH_TEST_NODE picks another Node version).
describeWithInfrastructure(`the compiled build with production dependencies only (node ${RUNTIME_NODE})`, () => {
  let runtime: CompiledRuntime;
  const started: RoleProcess[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    runtime = await assembleCompiledRuntime();
  }, 300_000);

  afterEach(async () => {
    for (const role of started.splice(0)) await role.signal('SIGTERM');
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  afterAll(() => runtime?.remove());

  it('serves PROPFIND in embedded mode, writing nothing under /app and needing no writable temp directory', async () => {
    const data = mkdtempSync(join(tmpdir(), 'davmesh-data-'));
    cleanups.push(() => rmSync(data, { recursive: true, force: true }));
    const before = runtime.snapshot();
    const node = new RoleProcess(
      'all',
      'embedded',
      { NATS_URL: '', DAVMESH_DATA: data, PORT: '0', TMPDIR: '/nonexistent', DAVMESH_CONFIG_DIR: join(data, 'no-config') },
      runtime.launch,
    );
    started.push(node);
    await node.start();
    const answer = await davHttp(`${node.url}/dav/`, 'PROPFIND', undefined, { headers: { Depth: '0', Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` } });
    expect(answer.status).toBe(207);
    expect(answer.text).toContain('<d:href>/dav/</d:href>');
    expect(runtime.snapshot()).toEqual(before);
  }, 120_000);

  it('`migrate` then a role with DAVMESH_MIGRATIONS=wait: the role waits for the schema and starts once migrate ran', async () => {
    const db: TestDatabase = await createTestDatabase();
    cleanups.push(() => db.drop());
    const env = { NATS_URL: TEST_NATS_URL, DATABASE_URL: db.url, DAVMESH_SUBJECT_PREFIX: randomSubjectPrefix(), DAVMESH_MIGRATIONS: 'wait' };
    const calendar = new RoleProcess('calendar', 'calendar', env, runtime.launch);
    started.push(calendar);
    const serving = calendar.start();
    serving.catch(() => undefined);
    // It has seen the schema missing (migrate has not run yet): it waits and is not serving.
    await waitFor(() => calendar.logs.some((l) => l.msg === 'waiting for the schema'), 60_000);
    expect(calendar.logs.find((l) => l.msg === 'waiting for the schema')).toMatchObject({ schema: 'calendar', pending: expect.any(Number) });
    expect(calendar.logs.some((l) => l.msg === 'service ready')).toBe(false);
    expect(calendar.running).toBe(true);

    const migrated = await runtime.cli(['migrate'], { DATABASE_URL: db.url });
    expect(migrated).toMatchObject({ code: 0, stderr: '' });
    expect(migrated.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^schema config is at Config\w+\d{13}$/),
      expect.stringMatching(/^schema calendar is at Calendar\w+\d{13}$/),
      expect.stringMatching(/^schema contacts is at Contacts\w+\d{13}$/),
    ]);
    await serving;
    expect(calendar.logs.some((l) => l.msg === 'service ready')).toBe(true);

    // The schema is current: the health command over the bus answers from the compiled role.
    const health = await runtime.cli(['health', '--role', 'calendar'], env);
    expect(health.code).toBe(0);
    expect(health.stdout).toContain(migrated.stdout.split('\n')[1].replace('schema calendar is at ', 'schema '));
  }, 180_000);

  it('a waiting role whose schema never comes exits 1 with one line naming the wait and the fix', async () => {
    const db: TestDatabase = await createTestDatabase();
    cleanups.push(() => db.drop());
    const env = {
      NATS_URL: TEST_NATS_URL,
      DATABASE_URL: db.url,
      DAVMESH_SUBJECT_PREFIX: randomSubjectPrefix(),
      DAVMESH_MIGRATIONS: 'wait',
      DAVMESH_SCHEMA_WAIT_SECONDS: '2',
      LOG_LEVEL: 'fatal',
    };
    const result = await runtime.cli(['serve', '--role', 'contacts'], env);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^davmesh: cannot start: schema "contacts" still lacks \d+ migration\(s\) up to Contacts\w+ after 2 s .*run `davmesh migrate`/);
  }, 120_000);

  it('`migrate` without DATABASE_URL, or with PostgreSQL unreachable, says so in one line and exits non-zero', async () => {
    const missing = await runtime.cli(['migrate'], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('davmesh: migrate needs DATABASE_URL (the PostgreSQL the services use)\n');
    const unreachable = await runtime.cli(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim().split('\n')).toEqual([expect.stringContaining('cannot connect to PostgreSQL at 127.0.0.1:1/nowhere')]);
  }, 60_000);
});
