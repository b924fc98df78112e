import { type QueryRunner } from 'typeorm';

/** For each service's migration that adds its outbox (see Outbox). */
export async function createOutboxTable(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE "${schema}"."outbox" (
      "id" bigserial PRIMARY KEY,
      "subject" text NOT NULL,
      "payload" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT clock_timestamp(),
      "claimed_until" timestamptz
    )`);
}

export async function dropOutboxTable(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE "${schema}"."outbox"`);
}

export const OUTBOX_TABLE = { create: createOutboxTable, drop: dropOutboxTable };
