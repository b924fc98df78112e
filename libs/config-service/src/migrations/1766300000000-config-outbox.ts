import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createOutboxTable, dropOutboxTable } from '@davmesh/storage';
import { CONFIG_SCHEMA } from '../directory/directory.entities';

/** The events of a write, stored in its transaction and published after it (see Outbox). */
export class ConfigOutbox1766300000000 implements MigrationInterface {
  name = 'ConfigOutbox1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createOutboxTable(queryRunner, CONFIG_SCHEMA);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOutboxTable(queryRunner, CONFIG_SCHEMA);
  }
}
