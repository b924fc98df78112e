import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CONTACTS_SCHEMA } from '../schema';

@Entity({ name: 'folders', schema: CONTACTS_SCHEMA })
export class FolderRow {
  @PrimaryColumn({ name: 'context_id', type: 'integer' })
  contextId!: number;

  @PrimaryColumn({ name: 'folder_id', type: 'integer' })
  folderId!: number;

  @Column({ type: 'text' })
  kind!: 'personal' | 'custom' | 'gal';

  @Column({ name: 'owner_user_id', type: 'integer', nullable: true })
  ownerUserId!: number | null;

  @Column({ type: 'text', nullable: true })
  slug!: string | null;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** bigint: read as a string. */
  @Column({ type: 'bigint' })
  revision!: string;
}

@Entity({ name: 'shares', schema: CONTACTS_SCHEMA })
export class ShareRow {
  @PrimaryColumn({ name: 'context_id', type: 'integer' })
  contextId!: number;

  @PrimaryColumn({ name: 'folder_id', type: 'integer' })
  folderId!: number;

  @PrimaryColumn({ name: 'grantee_user_id', type: 'integer' })
  granteeUserId!: number;

  @Column({ type: 'text' })
  rights!: 'read' | 'write';
}

@Entity({ name: 'contacts', schema: CONTACTS_SCHEMA })
export class ContactRow {
  @PrimaryColumn({ name: 'context_id', type: 'integer' })
  contextId!: number;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ name: 'folder_id', type: 'integer' })
  folderId!: number;

  @Column({ type: 'text' })
  uid!: string;

  @Column({ type: 'text' })
  fn!: string;

  @Column({ type: 'text', array: true })
  emails!: string[];

  @Column({ name: 'vcard_version', type: 'text' })
  vcardVersion!: string;

  @Column({ type: 'text' })
  vcard!: string;

  @Column({ type: 'text' })
  etag!: string;

  @Column({ type: 'bigint' })
  revision!: string;

  @Column({ name: 'modified_at', type: 'timestamptz' })
  modifiedAt!: Date;

  /** For global address list entries: the directory version of the user they were made from. */
  @Column({ name: 'source_version', type: 'integer', nullable: true })
  sourceVersion!: number | null;
}

@Entity({ name: 'changes', schema: CONTACTS_SCHEMA })
export class ChangeRow {
  @PrimaryColumn({ name: 'context_id', type: 'integer' })
  contextId!: number;

  @PrimaryColumn({ name: 'folder_id', type: 'integer' })
  folderId!: number;

  @PrimaryColumn({ type: 'bigint' })
  revision!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'boolean' })
  deleted!: boolean;
}
