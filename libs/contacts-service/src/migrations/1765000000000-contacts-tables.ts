import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Folders, the share table, contacts (raw vCard + indexed columns) and the change log
 * that sync tokens read. A folder's revision rises by one per change, under its row lock.
 */
export class ContactsTables1765000000000 implements MigrationInterface {
  name = 'ContactsTables1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE "contacts"."folder_ids" START 1000`);
    await queryRunner.query(`
      CREATE TABLE "contacts"."folders" (
        "context_id" integer NOT NULL,
        "folder_id" integer NOT NULL,
        "kind" text NOT NULL CHECK ("kind" IN ('personal', 'custom', 'gal')),
        "owner_user_id" integer,
        "slug" text,
        "display_name" text NOT NULL,
        "description" text,
        "revision" bigint NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("context_id", "folder_id")
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "folders_one_personal" ON "contacts"."folders" ("context_id", "owner_user_id") WHERE "kind" = 'personal'`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "folders_slug" ON "contacts"."folders" ("context_id", "owner_user_id", "slug")`);
    await queryRunner.query(`
      CREATE TABLE "contacts"."shares" (
        "context_id" integer NOT NULL,
        "folder_id" integer NOT NULL,
        "grantee_user_id" integer NOT NULL,
        "rights" text NOT NULL CHECK ("rights" IN ('read', 'write')),
        PRIMARY KEY ("context_id", "folder_id", "grantee_user_id"),
        FOREIGN KEY ("context_id", "folder_id") REFERENCES "contacts"."folders" ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "shares_grantee" ON "contacts"."shares" ("context_id", "grantee_user_id")`);
    await queryRunner.query(`
      CREATE TABLE "contacts"."contacts" (
        "context_id" integer NOT NULL,
        "name" text NOT NULL,
        "folder_id" integer NOT NULL,
        "uid" text NOT NULL,
        "fn" text NOT NULL,
        "emails" text[] NOT NULL DEFAULT '{}',
        "vcard_version" text NOT NULL,
        "vcard" text NOT NULL,
        "etag" text NOT NULL,
        "revision" bigint NOT NULL,
        "source_version" integer,
        PRIMARY KEY ("context_id", "name"),
        FOREIGN KEY ("context_id", "folder_id") REFERENCES "contacts"."folders" ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "contacts_by_folder" ON "contacts"."contacts" ("context_id", "folder_id", "name")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "contacts_uid" ON "contacts"."contacts" ("context_id", "folder_id", "uid")`);
    await queryRunner.query(`
      CREATE TABLE "contacts"."changes" (
        "context_id" integer NOT NULL,
        "folder_id" integer NOT NULL,
        "revision" bigint NOT NULL,
        "name" text NOT NULL,
        "deleted" boolean NOT NULL,
        PRIMARY KEY ("context_id", "folder_id", "revision"),
        FOREIGN KEY ("context_id", "folder_id") REFERENCES "contacts"."folders" ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['changes', 'contacts', 'shares', 'folders']) await queryRunner.query(`DROP TABLE "contacts"."${table}"`);
    await queryRunner.query(`DROP SEQUENCE "contacts"."folder_ids"`);
  }
}
