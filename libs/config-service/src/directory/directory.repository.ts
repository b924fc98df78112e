import { Injectable } from '@nestjs/common';
import { SqlRepository } from '@davmesh/storage';

export interface ContextRow {
  contextId: number;
  name: string;
  tags: string[];
}

export interface UserRow {
  userId: number;
  contextId: number;
  login: string;
  displayName: string;
  email: string | null;
  passwordHash: string;
  enabled: boolean;
  version: number;
}

export type NewUserRow = Pick<UserRow, 'contextId' | 'login' | 'displayName' | 'email' | 'passwordHash'>;

export type UserUpdate = Partial<Pick<UserRow, 'passwordHash' | 'enabled' | 'displayName' | 'email'>>;

const CONTEXT = `"context_id" AS "contextId", "name", "tags"`;
const USER = `"user_id" AS "userId", "context_id" AS "contextId", "login", "display_name" AS "displayName", "email",
  "password_hash" AS "passwordHash", "enabled", "version"`;
const USER_COLUMNS: Record<keyof UserUpdate, string> = { passwordHash: 'password_hash', enabled: 'enabled', displayName: 'display_name', email: 'email' };

/** SQL for contexts and users; knows nothing of the bus or of passwords. */
@Injectable()
export class DirectoryRepository extends SqlRepository {
  /** Inserts the context, or returns undefined when the id is taken. */
  async insertContext(contextId: number, name: string, tags: string[]): Promise<ContextRow | undefined> {
    const rows: ContextRow[] = await this.manager.query(
      `INSERT INTO "config"."contexts" ("context_id", "name", "tags") VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING ${CONTEXT}`,
      [contextId, name, tags],
    );
    return rows[0];
  }

  async findContext(contextId: number): Promise<ContextRow | undefined> {
    const rows: ContextRow[] = await this.manager.query(`SELECT ${CONTEXT} FROM "config"."contexts" WHERE "context_id" = $1`, [contextId]);
    return rows[0];
  }

  listContexts(): Promise<ContextRow[]> {
    return this.manager.query(`SELECT ${CONTEXT} FROM "config"."contexts" ORDER BY "context_id"`);
  }

  /** Inserts the user, or returns undefined when the login (case-insensitively) is taken. */
  async insertUser(row: NewUserRow): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.manager.query(
      `INSERT INTO "config"."users" ("context_id", "login", "display_name", "email", "password_hash")
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (lower("login")) DO NOTHING
       RETURNING ${USER}`,
      [row.contextId, row.login, row.displayName, row.email, row.passwordHash],
    );
    return rows[0];
  }

  async findUserById(userId: number): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.manager.query(`SELECT ${USER} FROM "config"."users" WHERE "user_id" = $1`, [userId]);
    return rows[0];
  }

  async findUserByLogin(login: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.manager.query(`SELECT ${USER} FROM "config"."users" WHERE lower("login") = lower($1)`, [login]);
    return rows[0];
  }

  /** Users of the context (of every context when undefined) whose stored address (case-insensitively) or login (lower case) is in the lists. */
  findUsersByEmailOrLogin(contextId: number | undefined, emails: string[], logins: string[]): Promise<UserRow[]> {
    return this.manager.query(
      `SELECT ${USER} FROM "config"."users"
        WHERE ($1::integer IS NULL OR "context_id" = $1) AND (lower("email") = ANY($2::text[]) OR ("email" IS NULL AND lower("login") = ANY($3::text[])))
        ORDER BY "user_id"`,
      [contextId ?? null, emails, logins],
    );
  }

  /** Users of the context among the ids given. */
  findUsersByIds(contextId: number, userIds: number[]): Promise<UserRow[]> {
    return this.manager.query(`SELECT ${USER} FROM "config"."users" WHERE "context_id" = $1 AND "user_id" = ANY($2::int[]) ORDER BY "user_id"`, [contextId, userIds]);
  }

  listUsers(contextId?: number): Promise<UserRow[]> {
    return contextId === undefined
      ? this.manager.query(`SELECT ${USER} FROM "config"."users" ORDER BY "user_id"`)
      : this.manager.query(`SELECT ${USER} FROM "config"."users" WHERE "context_id" = $1 ORDER BY "user_id"`, [contextId]);
  }

  /** Applies the change (what is undefined stays) and bumps the version in one statement; undefined when no such user. */
  async updateUser(userId: number, change: UserUpdate): Promise<UserRow | undefined> {
    const changed = (Object.keys(USER_COLUMNS) as (keyof UserUpdate)[]).filter((key) => change[key] !== undefined);
    const sets = changed.map((key, i) => `"${USER_COLUMNS[key]}" = $${i + 2}, `).join('');
    // A CTE: TypeORM answers a bare UPDATE ... RETURNING with [rows, count] instead of rows.
    const rows: UserRow[] = await this.manager.query(
      `WITH updated AS (
         UPDATE "config"."users" SET ${sets}"version" = "version" + 1, "updated_at" = CURRENT_TIMESTAMP WHERE "user_id" = $1 RETURNING ${USER}
       ) SELECT * FROM updated`,
      [userId, ...changed.map((key) => change[key])],
    );
    return rows[0];
  }
}
