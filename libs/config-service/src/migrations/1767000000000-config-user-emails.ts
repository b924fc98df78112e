import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Free-busy finds the users of a context by address (config.v1.directory.users.find-by-email). */
export class ConfigUserEmails1767000000000 implements MigrationInterface {
  name = 'ConfigUserEmails1767000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "users_context_email_idx" ON "config"."users" ("context_id", lower("email"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "config"."users_context_email_idx"`);
  }
}
