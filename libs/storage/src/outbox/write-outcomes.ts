import { type QueryRunner } from 'typeorm';
import { type SqlRunner } from '../json-rows';

/** How long a write's outcome is kept for a caller asking again: well past any caller's tries. */
export const WRITE_OUTCOME_KEEP_MS = 10 * 60_000;

export type ClaimedWrite = { stored: false } | { stored: true; result: unknown };

/**
 * The SQL of one service's `<schema>.write_outcomes` table: the key a caller sent with a write
 * (WRITE_KEY_HEADER), stored in the write's transaction with what the write answered. A try of
 * the same write that comes again (its first reply was lost with NATS, or with the replica) is
 * answered from here instead of being done twice: a PUT with If-None-Match: * then answers 201
 * for the object it stored, not 412.
 */
export class WriteOutcomes {
  private readonly table: string;

  constructor(schema: string) {
    this.table = `"${schema}"."write_outcomes"`;
  }

  /**
   * First statement of the write's transaction. Holds the key until the commit: another try
   * of the same write waits here, then finds the stored result (or, when this one rolled back,
   * takes the key over and does the write).
   */
  async claim(db: SqlRunner, key: string): Promise<ClaimedWrite> {
    const inserted = (await db.query(`INSERT INTO ${this.table} ("key") VALUES ($1) ON CONFLICT ("key") DO NOTHING RETURNING "key"`, [key])) as unknown[];
    if (inserted.length > 0) return { stored: false };
    const rows = (await db.query(`SELECT "result" FROM ${this.table} WHERE "key" = $1`, [key])) as { result: string | null }[];
    return { stored: true, result: rows[0]?.result == null ? undefined : JSON.parse(rows[0].result, reviveDates) };
  }

  /** Last statement of the write's transaction: what it answers. */
  async record(db: SqlRunner, key: string, result: unknown): Promise<void> {
    await db.query(`UPDATE ${this.table} SET "result" = $2 WHERE "key" = $1`, [key, serialised(result)]);
  }

  /** `record` as a WITH item of the transaction's last statement (one round trip less), its parameters numbered from `$first`. */
  recording(key: string, result: unknown, first: number): SqlWithItem {
    return { sql: `recorded_outcome AS (UPDATE ${this.table} SET "result" = $${first + 1} WHERE "key" = $${first})`, parameters: [key, serialised(result)] };
  }

  /** Forgets outcomes older than `olderThanMs`. */
  async expire(db: SqlRunner, olderThanMs: number): Promise<void> {
    await db.query(`DELETE FROM ${this.table} WHERE "created_at" < clock_timestamp() - make_interval(secs => $1::double precision)`, [olderThanMs / 1000]);
  }
}

/** A data-modifying WITH item another statement carries, with its parameters. */
export interface SqlWithItem {
  sql: string;
  parameters: unknown[];
}

const DATE_TAG = '$date';

const serialised = (result: unknown) => (result === undefined ? null : JSON.stringify(result, tagDates));

/** Dates survive the JSON text as `{ "$date": iso }` (JSON.stringify hands a replacer their string). */
function tagDates(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? { [DATE_TAG]: raw.toISOString() } : value;
}

function reviveDates(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && DATE_TAG in value && Object.keys(value).length === 1) {
    return new Date((value as Record<string, string>)[DATE_TAG]);
  }
  return value;
}

/** For each service's migration that adds its write outcomes. */
export async function createWriteOutcomesTable(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE "${schema}"."write_outcomes" (
      "key" text PRIMARY KEY,
      "result" text,
      "created_at" timestamptz NOT NULL DEFAULT clock_timestamp()
    )`);
  await queryRunner.query(`CREATE INDEX "write_outcomes_created_at" ON "${schema}"."write_outcomes" ("created_at")`);
}

export async function dropWriteOutcomesTable(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE "${schema}"."write_outcomes"`);
}

export const WRITE_OUTCOMES_TABLE = { create: createWriteOutcomesTable, drop: dropWriteOutcomesTable };
