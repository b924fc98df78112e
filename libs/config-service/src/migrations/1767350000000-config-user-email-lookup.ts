import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Incoming iMIP finds its recipients by address in every context (find-by-email without a context). */
export class ConfigUserEmailLookup1767350000000 implements MigrationInterface {
  name = 'ConfigUserEmailLookup1767350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "users_email_idx" ON "config"."users" (lower("email"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "config"."users_email_idx"`);
  }
}
