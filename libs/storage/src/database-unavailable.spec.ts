import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, describeWithInfrastructure, TEST_PG_ADMIN_URL, type TestDatabase } from '@davmesh/testing';
import { classifyDatabaseFailure, isDatabaseUnavailable } from './database-unavailable';

/** The error a query in flight gets when its session is ended the way a server shutdown ends it (57P01). */
async function errorOfTerminatedQuery(run: (sql: string) => Promise<unknown>, pidOf: () => Promise<number>): Promise<unknown> {
  const pid = await pidOf();
  const running = run('SELECT pg_sleep(10)').then(
    () => undefined,
    (error: unknown) => error,
  );
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
  return running;
}

describe('which database failures are an outage', () => {
  it('counts a refused connection, and not an ordinary error', async () => {
    const client = new Client({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 2000 });
    const refused = await client.connect().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(classifyDatabaseFailure(refused)?.error.code).toBe('unavailable');
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(classifyDatabaseFailure(new TypeError('x is undefined'))).toBeUndefined();
  });
});

describeWithInfrastructure('database failures of a real PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource({ type: 'postgres', url: database.url, extra: { max: 2 } });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE t (id int PRIMARY KEY)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('counts a session ended by the server (57P01), through pg and through TypeORM', async () => {
    const client = new Client({ connectionString: database.url });
    client.on('error', () => undefined);
    await client.connect();
    const direct = await errorOfTerminatedQuery(
      (sql) => client.query(sql),
      async () => (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number,
    );
    expect((direct as { code?: string }).code).toBe('57P01');
    expect(isDatabaseUnavailable(direct)).toBe(true);
    // The dead session's client is not queryable any more: that too is the outage.
    const after = await client.query('SELECT 1').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isDatabaseUnavailable(after)).toBe(true);
    await client.end().catch(() => undefined);

    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      const throughTypeorm = await errorOfTerminatedQuery(
        (sql) => runner.query(sql),
        async () => ((await runner.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[])[0].pid,
      );
      expect((throughTypeorm as Error).name).toBe('QueryFailedError');
      expect(isDatabaseUnavailable(throughTypeorm)).toBe(true);
    } finally {
      await runner.release().catch(() => undefined);
    }
  });

  it('does not count what the data or the SQL got wrong', async () => {
    await dataSource.query('INSERT INTO t VALUES (1)');
    const duplicate = await dataSource.query('INSERT INTO t VALUES (1)').catch((error: unknown) => error);
    expect((duplicate as { code?: string }).code).toBe('23505');
    expect(isDatabaseUnavailable(duplicate)).toBe(false);
    const syntax = await dataSource.query('SELEC 1').catch((error: unknown) => error);
    expect(isDatabaseUnavailable(syntax)).toBe(false);
    // And the pool still serves after a session of it was ended.
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
