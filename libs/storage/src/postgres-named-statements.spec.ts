import { createTestDatabase, describeWithInfrastructure, type TestDatabase } from '@davmesh/testing';
import { openServiceDataSource } from './data-source';
import { NamedStatementClient } from './postgres-named-statements';

describeWithInfrastructure('statements named on PostgreSQL', () => {
  let database: TestDatabase;
  let client: NamedStatementClient;

  const prepared = async () =>
    (await client.query(`SELECT statement FROM pg_prepared_statements WHERE NOT from_sql ORDER BY prepare_time`) as unknown as { rows: { statement: string }[] }).rows.map((r) => r.statement);
  const read = async (id: number) => (await client.query('SELECT * FROM t WHERE id = $1', [id]) as unknown as { rows: Record<string, unknown>[] }).rows;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new NamedStatementClient({ connectionString: database.url });
    await client.connect();
    await client.query('CREATE TABLE t (id int PRIMARY KEY, title text)');
    await client.query(`INSERT INTO t VALUES (1, 'one'), (2, 'two')`);
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('prepares a statement with parameters once per connection and answers as the unnamed one would', async () => {
    expect(await read(1)).toEqual([{ id: 1, title: 'one' }]);
    expect(await read(2)).toEqual([{ id: 2, title: 'two' }]);
    expect(await read(3)).toEqual([]);
    // One prepared statement for the three calls; the parameterless statements are not kept.
    expect(await prepared()).toEqual(['SELECT * FROM t WHERE id = $1']);
  });

  it('recovers when a table changes shape under a prepared statement: one call fails, the next prepares anew', async () => {
    await read(1);
    await client.query('ALTER TABLE t ADD COLUMN place text');
    await expect(read(1)).rejects.toMatchObject({ code: '0A000' });
    expect(await read(1)).toEqual([{ id: 1, title: 'one', place: null }]);
  });
});

describeWithInfrastructure('a service database with and without prepared statements (DAVMESH_DATABASE_PREPARED_STATEMENTS)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  /** What one connection of the service's pool holds prepared after a read with a parameter. */
  const preparedAfterARead = async (preparedStatements: boolean) => {
    const dataSource = await openServiceDataSource({ kind: 'postgres', url: database.url, preparedStatements }, { schema: 'named_statements_probe', migrations: [] });
    const runner = dataSource.createQueryRunner();
    try {
      expect(await runner.query('SELECT $1::int + 1 AS "next"', [41])).toEqual([{ next: 42 }]);
      return ((await runner.query('SELECT statement FROM pg_prepared_statements WHERE NOT from_sql')) as { statement: string }[]).map((r) => r.statement);
    } finally {
      await runner.release();
      await dataSource.destroy();
    }
  };

  it('prepares by name by default, and not when switched off (for PgBouncer in transaction mode)', async () => {
    expect(await preparedAfterARead(true)).toContain('SELECT $1::int + 1 AS "next"');
    expect(await preparedAfterARead(false)).toEqual([]);
  });
});
