import { type PGlite } from '@electric-sql/pglite';
import { createLogger } from '@davmesh/logging';
import { openPGlite } from './pglite';
import { keepPGliteUp, PGlitePool } from './pglite-pool';
import { type PGliteUpkeep } from './pglite-upkeep';

interface Session {
  query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  release(): void;
}

/** A connection of the pool TypeORM uses: what the services' statements go through. */
function connect(db: PGlite): Promise<Session> {
  return new Promise((resolve, reject) =>
    new PGlitePool({ pglite: db }).connect((error, connection, release) =>
      error ? reject(error) : resolve({ query: (sql, values) => connection!.query(sql, values ?? []), release: () => release!() }),
    ),
  );
}

async function run(db: PGlite, sql: string, values?: unknown[]): Promise<void> {
  const session = await connect(db);
  try {
    await session.query(sql, values);
  } finally {
    session.release();
  }
}

const reltuples = async (db: PGlite, table: string) => (await db.query<{ n: number }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = $1::regclass`, [table])).rows[0].n;
const totalSize = async (db: PGlite, table: string) => (await db.query<{ n: number }>(`SELECT pg_total_relation_size($1::regclass)::float8 AS n`, [table])).rows[0].n;

describe('PGliteUpkeep: autovacuum for the embedded database', () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
  const warnings = () => lines.filter((line) => JSON.parse(line).level >= 40);
  const opened: PGlite[] = [];
  let upkeep: PGliteUpkeep | undefined;

  async function database(): Promise<PGlite> {
    const db = await openPGlite(undefined);
    opened.push(db);
    await db.exec(`CREATE SCHEMA box; CREATE TABLE box.items (id int PRIMARY KEY, rank int NOT NULL, note text NOT NULL); CREATE INDEX items_rank ON box.items (rank)`);
    return db;
  }

  beforeEach(() => void lines.splice(0));
  afterEach(async () => {
    await upkeep?.stop();
    upkeep = undefined;
    for (const db of opened.splice(0)) await db.close();
  });

  it('gives tables that never had planner statistics their statistics at start', async () => {
    const db = await database();
    await db.exec(`INSERT INTO box.items SELECT g, g, 'n' FROM generate_series(1, 1000) g`);
    expect(await reltuples(db, 'box.items')).toBe(-1);
    upkeep = keepPGliteUp(db, logger);
    await upkeep.idle();
    expect(await reltuples(db, 'box.items')).toBe(1000);
    const stats = await db.query(`SELECT 1 FROM pg_stats WHERE schemaname = 'box' AND tablename = 'items' AND attname = 'rank'`);
    expect(stats.rows).toHaveLength(1);
    expect(warnings()).toEqual([]);
  });

  it('reclaims the rows that updates leave behind, so a table updated over and over keeps its size', async () => {
    const rounds = 30;
    const sizes: number[] = [];
    let filled = 0;
    for (const kept of [true, false]) {
      const db = await database();
      if (kept) upkeep = keepPGliteUp(db, logger, { minIntervalMs: 0 });
      await run(db, `INSERT INTO box.items SELECT g, g, repeat('x', 200) FROM generate_series(1, $1::int) g`, [300]);
      await upkeep?.idle();
      filled = await totalSize(db, 'box.items');
      // rank is indexed: every update is a new row version with new index entries (not HOT).
      for (let round = 0; round < rounds; round++) {
        await run(db, `UPDATE box.items SET rank = rank + $1`, [1]);
        if (kept) await upkeep!.idle();
      }
      sizes.push(await totalSize(db, 'box.items'));
      await upkeep?.stop();
      upkeep = undefined;
    }
    const [withUpkeep, without] = sizes;
    expect(withUpkeep).toBeLessThan(3 * filled);
    expect(without).toBeGreaterThan(4 * withUpkeep);
    expect(warnings()).toEqual([]);
    expect(lines.some((line) => JSON.parse(line).msg === 'embedded database vacuumed and analyzed')).toBe(true);
  });

  it('counts every table a statement writes, in WITH as well, but not the SET of ON CONFLICT DO UPDATE', async () => {
    const db = await database();
    await db.exec(`CREATE TABLE box.log (id int PRIMARY KEY, rank int NOT NULL)`);
    upkeep = keepPGliteUp(db, logger, { minIntervalMs: 0 });
    await upkeep.idle();
    await run(
      db,
      `WITH moved AS (INSERT INTO "box"."items" (id, rank, note) SELECT g, g, 'n' FROM generate_series(1, $1::int) g
                      ON CONFLICT (id) DO UPDATE SET rank = EXCLUDED.rank RETURNING id, rank)
       INSERT INTO box.log SELECT id, rank FROM moved`,
      [200],
    );
    await upkeep.idle();
    expect(await reltuples(db, 'box.items')).toBe(200);
    expect(await reltuples(db, 'box.log')).toBe(200);
    expect(warnings()).toEqual([]);
  });

  it('waits for a transaction that holds the session: VACUUM never runs inside it', async () => {
    const db = await database();
    upkeep = keepPGliteUp(db, logger, { minIntervalMs: 0 });
    await upkeep.idle();
    const session = await connect(db);
    await session.query('BEGIN');
    await session.query(`INSERT INTO box.items SELECT g, g, 'n' FROM generate_series(1, $1::int) g`, [300]);
    // Turns of the event loop in which the due upkeep would run, were it not waiting for the session.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setTimeout(resolve, 1));
    await session.query(`INSERT INTO box.items SELECT g, g, 'n' FROM generate_series(301, $1::int) g`, [400]);
    await session.query('COMMIT');
    session.release();
    await upkeep.idle();
    expect(await reltuples(db, 'box.items')).toBe(400);
    expect(warnings()).toEqual([]);
  });
});
