import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Directory1764000000000 implements MigrationInterface {
  name = 'Directory1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "config"."contexts" (
        "context_id" integer PRIMARY KEY CHECK ("context_id" > 0),
        "name" text NOT NULL,
        "tags" text[] NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "config"."users" (
        "user_id" serial PRIMARY KEY,
        "context_id" integer NOT NULL REFERENCES "config"."contexts" ("context_id"),
        "login" text NOT NULL,
        "display_name" text NOT NULL,
        "email" text,
        "password_hash" text NOT NULL,
        "enabled" boolean NOT NULL DEFAULT true,
        "version" integer NOT NULL DEFAULT 1,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_login_key" ON "config"."users" (lower("login"))`);
    await queryRunner.query(`CREATE INDEX "users_context_id_idx" ON "config"."users" ("context_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "config"."users"`);
    await queryRunner.query(`DROP TABLE "config"."contexts"`);
  }
}
