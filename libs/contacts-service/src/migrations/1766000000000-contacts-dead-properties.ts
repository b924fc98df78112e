import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Dead properties of address books (RFC 4918 4.2): any property a client sets that we do not compute, kept as given. */
export class ContactsDeadProperties1766000000000 implements MigrationInterface {
  name = 'ContactsDeadProperties1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "contacts"."dead_properties" (
        "context_id" integer NOT NULL,
        "folder_id" integer NOT NULL,
        "ns" text NOT NULL,
        "name" text NOT NULL,
        "xml" text NOT NULL,
        PRIMARY KEY ("context_id", "folder_id", "ns", "name"),
        FOREIGN KEY ("context_id", "folder_id") REFERENCES "contacts"."folders" ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "contacts"."dead_properties"`);
  }
}
