import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Calendar folders shared with other users of the owner's context: one row per grantee, read or write. */
export class CalendarShares1766100000000 implements MigrationInterface {
  name = 'CalendarShares1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "calendar"."shares" (
        "folder_id" integer NOT NULL REFERENCES "calendar"."folders" ON DELETE CASCADE,
        "grantee_user_id" integer NOT NULL,
        "rights" text NOT NULL CHECK ("rights" IN ('read', 'write')),
        PRIMARY KEY ("folder_id", "grantee_user_id")
      )`);
    await queryRunner.query(`CREATE INDEX "shares_grantee_idx" ON "calendar"."shares" ("grantee_user_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "calendar"."shares"`);
  }
}
