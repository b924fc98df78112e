import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * iMIP messages to send by e-mail (RFC 6047), one row per recipient, kept in the database so a
 * restart or another replica sends what is left: `next_attempt_at` says when, `claimed_until`
 * leases a row to the replica sending it. What it schedules (folder, object, attendee) stays
 * beside it, for SCHEDULE-STATUS.
 */
export class CalendarImipOutgoing1767100000000 implements MigrationInterface {
  name = 'CalendarImipOutgoing1767100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "calendar"."imip_outgoing" (
        "id" bigserial PRIMARY KEY,
        "created_at" timestamptz NOT NULL DEFAULT clock_timestamp(),
        "state" text NOT NULL CHECK ("state" IN ('queued', 'sent', 'refused', 'failed', 'not-configured')),
        "schedule_status" text NOT NULL,
        "next_attempt_at" timestamptz,
        "attempts" integer NOT NULL DEFAULT 0,
        "claimed_until" timestamptz,
        "from_address" text NOT NULL,
        "to_address" text NOT NULL,
        "method" text NOT NULL,
        "ical" text NOT NULL,
        "message_id" text NOT NULL,
        "folder_id" integer,
        "object_name" text,
        "attendee" text,
        "last_response" text,
        "finished_at" timestamptz,
        CHECK (("state" = 'queued') = ("next_attempt_at" IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX "imip_outgoing_due_idx" ON "calendar"."imip_outgoing" ("next_attempt_at") WHERE "state" = 'queued'`);
    await queryRunner.query(`CREATE INDEX "imip_outgoing_object_idx" ON "calendar"."imip_outgoing" ("folder_id", "object_name")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "calendar"."imip_outgoing"`);
  }
}
