import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Opens the calendar schema's migration history: the schema is owned and versioned from the first start. */
export class CalendarSchema1764000000000 implements MigrationInterface {
  name = 'CalendarSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`COMMENT ON SCHEMA "calendar" IS 'davmesh calendar service'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`COMMENT ON SCHEMA "calendar" IS NULL`);
  }
}
