import { type PGlite } from '@electric-sql/pglite';
import { openPGlite } from './pglite';
import { PGliteStatements } from './pglite-statements';
import { PREPARED_STATEMENT_LIMIT } from './prepared-statements';

describe('PGliteStatements: parameterised statements as named prepared statements', () => {
  let db: PGlite;
  let statements: PGliteStatements;

  beforeAll(async () => {
    db = await openPGlite(undefined);
    await db.exec(`
      CREATE TABLE items (
        id bigserial PRIMARY KEY, name text UNIQUE NOT NULL, size int, seen timestamptz,
        meta jsonb, tags text[], body bytea, done boolean
      )`);
    statements = new PGliteStatements(db);
  });
  afterAll(() => db.close());

  it('returns the same rows, fields and counts as PGlite query for every column type', async () => {
    const insert = 'INSERT INTO items (name, size, seen, meta, tags, body, done) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *';
    const values = ['a', 7, new Date('2026-01-02T03:04:05Z'), { x: [1, 'y'] }, ['p', 'q'], new Uint8Array([0, 255, 10]), true];
    const ours = await statements.query(insert, values);
    const theirs = await db.query(insert, ['b', ...values.slice(1)]);
    expect(ours.fields).toEqual(theirs.fields);
    expect({ ...(ours.rows[0] as object), id: 0, name: '' }).toEqual({ ...(theirs.rows[0] as object), id: 0, name: '' });
    expect((ours.rows[0] as { id: string }).id).toBe('1');
    const update = await statements.query('UPDATE items SET size = size + $1 WHERE size = $2', [1, 7]);
    expect(update.affectedRows).toBe(2);
    const nulls = await statements.query('SELECT $1::text AS nothing, $2::int AS zero', [null, 0]);
    expect(nulls.rows).toEqual([{ nothing: null, zero: 0 }]);
  });

  it('passes PostgreSQL errors through with their code and keeps serving after them', async () => {
    await statements.query('INSERT INTO items (name) VALUES ($1)', ['dup']);
    await expect(statements.query('INSERT INTO items (name) VALUES ($1)', ['dup'])).rejects.toMatchObject({ code: '23505' });
    await expect(statements.query('SELEKT $1', [1])).rejects.toMatchObject({ code: '42601' });
    const again = await statements.query('SELECT count(*)::int AS n FROM items WHERE name = $1', ['dup']);
    expect(again.rows).toEqual([{ n: 1 }]);
  });

  it("runs inside the session's transactions: a rollback undoes, an error aborts only that transaction", async () => {
    const count = async (name: string) => (await statements.query('SELECT count(*)::int AS n FROM items WHERE name = $1', [name])).rows;
    await db.exec('BEGIN');
    await statements.query('INSERT INTO items (name) VALUES ($1)', ['undone']);
    expect(await count('undone')).toEqual([{ n: 1 }]);
    await db.exec('ROLLBACK');
    expect(await count('undone')).toEqual([{ n: 0 }]);
    await db.exec('BEGIN');
    await expect(statements.query('INSERT INTO items (name) VALUES ($1)', ['a'])).rejects.toMatchObject({ code: '23505' });
    await expect(count('a')).rejects.toMatchObject({ code: '25P02' });
    await db.exec('ROLLBACK');
    expect(await count('a')).toEqual([{ n: 1 }]);
  });

  it('prepares a statement again when its table changed shape since', async () => {
    await db.exec('CREATE TABLE shapes (id int)');
    await statements.query('INSERT INTO shapes VALUES ($1)', [1]);
    expect((await statements.query('SELECT * FROM shapes WHERE id = $1', [1])).rows).toEqual([{ id: 1 }]);
    await db.exec("ALTER TABLE shapes ADD COLUMN label text DEFAULT 'new'");
    expect((await statements.query('SELECT * FROM shapes WHERE id = $1', [1])).rows).toEqual([{ id: 1, label: 'new' }]);
  });

  it('keeps at most PREPARED_STATEMENT_LIMIT statements prepared however many texts it sees', async () => {
    for (let i = 0; i < PREPARED_STATEMENT_LIMIT + 40; i++) {
      const { rows } = await statements.query(`SELECT $1::int + ${i} AS n`, [1]);
      expect(rows).toEqual([{ n: i + 1 }]);
    }
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'davmesh_%'");
    expect(rows[0].n).toBeLessThanOrEqual(PREPARED_STATEMENT_LIMIT);
    expect((await statements.query('SELECT $1::int + 0 AS n', [5])).rows).toEqual([{ n: 5 }]);
  });
});
