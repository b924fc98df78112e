import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * calendarserver-sharing (docs/sharing.md): a share has a state (invited, accepted, declined; only
 * accepted ones grant access), the uid of its invitation, the owner's summary, whether the
 * operator granted it directly, and the sharee's own name, description, colour and order of the
 * calendar (caldav-sharing 5.5.3; null: the owner's). The shares made before are the operator's:
 * accepted and direct, so they work on unchanged. Each user's notification collection: its
 * revision, and one row per notification name, a removed one kept (without content) so
 * sync-collection can report it.
 */
export class CalendarShareInvitations1767300000000 implements MigrationInterface {
  name = 'CalendarShareInvitations1767300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "calendar"."shares"
        ADD COLUMN "status" text NOT NULL DEFAULT 'accepted' CHECK ("status" IN ('invited', 'accepted', 'declined')),
        ADD COLUMN "direct" boolean NOT NULL DEFAULT true,
        ADD COLUMN "invite_uid" text NOT NULL DEFAULT gen_random_uuid()::text,
        ADD COLUMN "summary" text,
        ADD COLUMN "display_name" text,
        ADD COLUMN "description" text,
        ADD COLUMN "color" text,
        ADD COLUMN "sort_order" integer`);
    // New shares say what they are.
    await queryRunner.query(`ALTER TABLE "calendar"."shares" ALTER COLUMN "status" DROP DEFAULT, ALTER COLUMN "direct" DROP DEFAULT`);
    await queryRunner.query(`CREATE UNIQUE INDEX "shares_invite_uid_idx" ON "calendar"."shares" ("invite_uid")`);
    await queryRunner.query(`
      CREATE TABLE "calendar"."notification_homes" (
        "user_id" integer PRIMARY KEY,
        "revision" bigint NOT NULL DEFAULT 0,
        -- Tokens before this revision name removals no longer kept: valid-sync-token.
        "floor_revision" bigint NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(`
      CREATE TABLE "calendar"."notifications" (
        "user_id" integer NOT NULL REFERENCES "calendar"."notification_homes" ON DELETE CASCADE,
        "name" text NOT NULL,
        "revision" bigint NOT NULL,
        "type" text CHECK ("type" IN ('invite-notification', 'invite-reply')),
        "content" text,
        "written_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("user_id", "name"),
        CHECK (("type" IS NULL) = ("content" IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX "notifications_revision_idx" ON "calendar"."notifications" ("user_id", "revision")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "calendar"."notifications"`);
    await queryRunner.query(`DROP TABLE "calendar"."notification_homes"`);
    await queryRunner.query(`DELETE FROM "calendar"."shares" WHERE "status" <> 'accepted'`);
    await queryRunner.query(`ALTER TABLE "calendar"."shares" DROP COLUMN "status", DROP COLUMN "direct", DROP COLUMN "invite_uid", DROP COLUMN "summary",
      DROP COLUMN "display_name", DROP COLUMN "description", DROP COLUMN "color", DROP COLUMN "sort_order"`);
  }
}
