import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * RFC 6638 3.2.10: each scheduling object resource has a Schedule-Tag, changed by its owner's own
 * writes and by consequential scheduling changes, kept when only an attendee's reply changed it;
 * null for objects the server does not schedule. Implicit scheduling finds an attendee's copy by
 * UID across their calendars: the (folder_id, uid) key serves that, one folder at a time.
 */
export class CalendarScheduleTags1767200000000 implements MigrationInterface {
  name = 'CalendarScheduleTags1767200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "calendar"."objects" ADD COLUMN "schedule_tag" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "calendar"."objects" DROP COLUMN "schedule_tag"`);
  }
}
