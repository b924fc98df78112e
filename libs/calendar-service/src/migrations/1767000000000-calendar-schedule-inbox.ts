import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * RFC 6638 schedule inboxes: a folder kind of its own, one per user (the partial unique index on
 * owner and default kind already says so), and the calendar its owner chose as the default for
 * scheduling (CALDAV:schedule-default-calendar-URL), forgotten when that calendar goes.
 */
export class CalendarScheduleInbox1767000000000 implements MigrationInterface {
  name = 'CalendarScheduleInbox1767000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "calendar"."folders"
        DROP CONSTRAINT "folders_default_kind_check",
        ADD CONSTRAINT "folders_default_kind_check" CHECK ("default_kind" IN ('calendar', 'tasks', 'inbox')),
        ADD COLUMN "schedule_default_folder_id" integer REFERENCES "calendar"."folders" ("folder_id") ON DELETE SET NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "calendar"."folders" WHERE "default_kind" = 'inbox'`);
    await queryRunner.query(`
      ALTER TABLE "calendar"."folders"
        DROP COLUMN "schedule_default_folder_id",
        DROP CONSTRAINT "folders_default_kind_check",
        ADD CONSTRAINT "folders_default_kind_check" CHECK ("default_kind" IN ('calendar', 'tasks'))`);
  }
}
