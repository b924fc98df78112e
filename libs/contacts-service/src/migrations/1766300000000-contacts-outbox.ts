import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createOutboxTable, dropOutboxTable } from '@davmesh/storage';
import { CONTACTS_SCHEMA } from '../schema';

/** The events of a write, stored in its transaction and published after it (see Outbox). */
export class ContactsOutbox1766300000000 implements MigrationInterface {
  name = 'ContactsOutbox1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createOutboxTable(queryRunner, CONTACTS_SCHEMA);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOutboxTable(queryRunner, CONTACTS_SCHEMA);
  }
}
