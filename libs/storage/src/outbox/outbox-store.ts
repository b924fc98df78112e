import { type DataSource } from 'typeorm';
import { type SqlRunner } from '../json-rows';
import { type SqlWithItem } from './write-outcomes';

/** An event as the outbox keeps it: its subject (without the deployment's prefix) and payload. */
export interface OutboxEvent {
  subject: string;
  payload: unknown;
}

export interface StoredOutboxEvent extends OutboxEvent {
  /** bigint, as a string. */
  id: string;
}

/**
 * The SQL of one service's `<schema>.outbox` table: rows are written in the transaction of the
 * change they announce, and deleted once published.
 */
export class OutboxStore {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
  ) {
    this.table = `"${schema}"."outbox"`;
  }

  /**
   * Inside the writer's transaction; answers the ids in the order given (the sequence numbers
   * the rows in VALUES order). A VALUES list: an unnest of arrays costs PGlite three times more.
   * `along` runs another change in the same statement (the write's outcome).
   */
  async insert(db: SqlRunner, events: OutboxEvent[], along?: (first: number) => SqlWithItem): Promise<string[]> {
    const values = events.map((_, i) => `($${2 * i + 1}, $${2 * i + 2}::jsonb)`).join(', ');
    const parameters = events.flatMap((e) => [e.subject, JSON.stringify(e.payload)]);
    const carried = along?.(parameters.length + 1);
    const rows = (await db.query(`${carried ? `WITH ${carried.sql} ` : ''}INSERT INTO ${this.table} ("subject", "payload") VALUES ${values} RETURNING "id"`, [
      ...parameters,
      ...(carried?.parameters ?? []),
    ])) as { id: string | number }[];
    return rows.map((r) => BigInt(r.id)).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).map(String);
  }

  /**
   * Leases up to `limit` rows older than `olderThanMs` that no one holds, oldest first. SKIP
   * LOCKED and the lease let the relays of several replicas share the table without taking a
   * row twice, and without holding a transaction open while they publish; a lease that runs out
   * (its replica died) frees the row again.
   */
  async claimDue(olderThanMs: number, leaseMs: number, limit: number): Promise<StoredOutboxEvent[]> {
    const rows = (await this.dataSource.query(
      `WITH due AS (
         SELECT "id" FROM ${this.table}
          WHERE "created_at" < clock_timestamp() - make_interval(secs => $1::double precision)
            AND ("claimed_until" IS NULL OR "claimed_until" < clock_timestamp())
          ORDER BY "id" LIMIT $3 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE ${this.table} o SET "claimed_until" = clock_timestamp() + make_interval(secs => $2::double precision)
           FROM due WHERE o."id" = due."id"
         RETURNING o."id", o."subject", o."payload"::text AS "payload"
       ) SELECT "id", "subject", "payload" FROM claimed ORDER BY "id"`,
      [olderThanMs / 1000, leaseMs / 1000, limit],
    )) as { id: string | number; subject: string; payload: string }[];
    return rows.map((r) => ({ id: String(r.id), subject: r.subject, payload: JSON.parse(r.payload) as unknown }));
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.dataSource.query(`DELETE FROM ${this.table} WHERE "id" = ANY($1::bigint[])`, [ids]);
  }

  /** Gives leased rows back at once, for the next pass (of any replica). */
  async release(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.dataSource.query(`UPDATE ${this.table} SET "claimed_until" = NULL WHERE "id" = ANY($1::bigint[])`, [ids]);
  }

  /** Events not yet published. */
  async pending(): Promise<number> {
    const rows = (await this.dataSource.query(`SELECT count(*)::integer AS "n" FROM ${this.table}`)) as { n: number }[];
    return Number(rows[0].n);
  }
}
