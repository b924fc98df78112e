import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Opens the contacts schema's migration history: the schema is owned and versioned from the first start. */
export class ContactsSchema1764000000000 implements MigrationInterface {
  name = 'ContactsSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`COMMENT ON SCHEMA "contacts" IS 'davmesh contacts service'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`COMMENT ON SCHEMA "contacts" IS NULL`);
  }
}
