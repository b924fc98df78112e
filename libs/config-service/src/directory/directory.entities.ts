import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CONFIG_SCHEMA = 'config';

@Entity({ name: 'contexts', schema: CONFIG_SCHEMA })
export class ContextRow {
  @PrimaryColumn({ name: 'context_id', type: 'integer' })
  contextId!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'users', schema: CONFIG_SCHEMA })
export class UserRow {
  @PrimaryGeneratedColumn({ name: 'user_id', type: 'integer' })
  userId!: number;

  @Column({ name: 'context_id', type: 'integer' })
  contextId!: number;

  @Column({ type: 'text' })
  login!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
