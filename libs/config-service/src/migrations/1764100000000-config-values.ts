import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class ConfigValues1764100000000 implements MigrationInterface {
  name = 'ConfigValues1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "config"."stored_values" (
        "scope" text NOT NULL CHECK ("scope" IN ('context', 'user')),
        "scope_id" integer NOT NULL,
        "key" text NOT NULL,
        "value" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("scope", "scope_id", "key")
      )`);
    await queryRunner.query(`CREATE TABLE "config"."revision" ("id" smallint PRIMARY KEY CHECK ("id" = 1), "revision" bigint NOT NULL)`);
    await queryRunner.query(`INSERT INTO "config"."revision" ("id", "revision") VALUES (1, 1)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "config"."revision"`);
    await queryRunner.query(`DROP TABLE "config"."stored_values"`);
  }
}
