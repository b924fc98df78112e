import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CalendarStore1764200000000 implements MigrationInterface {
  name = 'CalendarStore1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "calendar"."folders" (
        "folder_id" integer PRIMARY KEY,
        "owner_user_id" integer NOT NULL,
        "collection_name" text NOT NULL,
        "default_kind" text CHECK ("default_kind" IN ('calendar', 'tasks')),
        "display_name" text NOT NULL,
        "description" text,
        "color" text,
        "sort_order" integer,
        "timezone" text,
        "components" text[] NOT NULL,
        "revision" bigint NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        UNIQUE ("owner_user_id", "collection_name")
      )`);
    await queryRunner.query(`CREATE SEQUENCE "calendar"."folder_ids" START 100`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "folders_default_kind_key" ON "calendar"."folders" ("owner_user_id", "default_kind") WHERE "default_kind" IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE "calendar"."dead_properties" (
        "folder_id" integer NOT NULL REFERENCES "calendar"."folders" ON DELETE CASCADE,
        "ns" text NOT NULL,
        "name" text NOT NULL,
        "xml" text NOT NULL,
        PRIMARY KEY ("folder_id", "ns", "name")
      )`);
    await queryRunner.query(`
      CREATE TABLE "calendar"."objects" (
        "folder_id" integer NOT NULL REFERENCES "calendar"."folders" ON DELETE CASCADE,
        "name" text NOT NULL,
        "uid" text NOT NULL,
        "component" text NOT NULL,
        "etag" text NOT NULL,
        "ical" text NOT NULL,
        "size" integer NOT NULL,
        "first_start" timestamptz NOT NULL,
        "last_end" timestamptz NOT NULL,
        "modified_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("folder_id", "name"),
        UNIQUE ("folder_id", "uid")
      )`);
    await queryRunner.query(`CREATE INDEX "objects_time_range_idx" ON "calendar"."objects" ("folder_id", "first_start", "last_end")`);
    // One row per name, its latest change: an incremental sync reads O(changes), and
    // tokens never expire because deletions are kept.
    await queryRunner.query(`
      CREATE TABLE "calendar"."changes" (
        "folder_id" integer NOT NULL REFERENCES "calendar"."folders" ON DELETE CASCADE,
        "name" text NOT NULL,
        "revision" bigint NOT NULL,
        "removed" boolean NOT NULL,
        PRIMARY KEY ("folder_id", "name")
      )`);
    await queryRunner.query(`CREATE INDEX "changes_revision_idx" ON "calendar"."changes" ("folder_id", "revision")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['changes', 'objects', 'dead_properties', 'folders']) await queryRunner.query(`DROP TABLE "calendar"."${table}"`);
    await queryRunner.query(`DROP SEQUENCE "calendar"."folder_ids"`);
  }
}
