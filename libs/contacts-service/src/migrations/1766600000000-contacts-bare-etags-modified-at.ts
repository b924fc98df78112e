import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * ETags stored bare, as every contract carries them (the edge quotes them), and each contact's
 * time of last change (DAV:getlastmodified, If-Unmodified-Since); rows already stored count from now.
 */
export class ContactsBareEtagsModifiedAt1766600000000 implements MigrationInterface {
  name = 'ContactsBareEtagsModifiedAt1766600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "contacts"."contacts" ADD COLUMN "modified_at" timestamptz NOT NULL DEFAULT now()`);
    await queryRunner.query(`UPDATE "contacts"."contacts" SET "etag" = substr("etag", 2, length("etag") - 2) WHERE "etag" LIKE '"%"'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "contacts"."contacts" SET "etag" = '"' || "etag" || '"'`);
    await queryRunner.query(`ALTER TABLE "contacts"."contacts" DROP COLUMN "modified_at"`);
  }
}
