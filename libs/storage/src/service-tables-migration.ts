import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** A table every service keeps in its own schema (the outbox, the write outcomes). */
export interface ServiceTable {
  create(queryRunner: QueryRunner, schema: string): Promise<void>;
  drop(queryRunner: QueryRunner, schema: string): Promise<void>;
}

/** A service's migration that adds `tables` to its schema: one shape for every service. */
export function serviceTablesMigration(name: string, schema: string, tables: ServiceTable[]): new () => MigrationInterface {
  return class ServiceTablesMigration implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      for (const table of tables) await table.create(queryRunner, schema);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      for (const table of [...tables].reverse()) await table.drop(queryRunner, schema);
    }
  };
}
