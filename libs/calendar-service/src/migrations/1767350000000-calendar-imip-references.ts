import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * An outgoing iMIP message names what it schedules by owner, UID and recipient instead of
 * folder and resource name: the sender's copy is found by UID in the owner's calendars (one
 * scheduling object per UID), so a copy moved to another calendar still gets its
 * SCHEDULE-STATUS, and the newest message to a recipient about a UID is one index lookup.
 * Folder and name references (set only through `calendar.v1.imip.enqueue`) are dropped.
 */
export class CalendarImipReferences1767350000000 implements MigrationInterface {
  name = 'CalendarImipReferences1767350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "calendar"."imip_outgoing_object_idx"`);
    await queryRunner.query(`ALTER TABLE "calendar"."imip_outgoing" DROP COLUMN "folder_id", DROP COLUMN "object_name", DROP COLUMN "attendee"`);
    await queryRunner.query(`ALTER TABLE "calendar"."imip_outgoing" ADD COLUMN "owner_user_id" integer, ADD COLUMN "uid" text, ADD COLUMN "recipient" text`);
    await queryRunner.query(`CREATE INDEX "imip_outgoing_reference_idx" ON "calendar"."imip_outgoing" ("owner_user_id", "uid", "recipient", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "calendar"."imip_outgoing_reference_idx"`);
    await queryRunner.query(`ALTER TABLE "calendar"."imip_outgoing" DROP COLUMN "owner_user_id", DROP COLUMN "uid", DROP COLUMN "recipient"`);
    await queryRunner.query(`ALTER TABLE "calendar"."imip_outgoing" ADD COLUMN "folder_id" integer, ADD COLUMN "object_name" text, ADD COLUMN "attendee" text`);
    await queryRunner.query(`CREATE INDEX "imip_outgoing_object_idx" ON "calendar"."imip_outgoing" ("folder_id", "object_name")`);
  }
}
