import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { ContextRow, UserRow } from './directory.entities';

export interface NewUserRow {
  contextId: number;
  login: string;
  displayName: string;
  email: string | null;
  passwordHash: string;
}

/** SQL for contexts and users; knows nothing of the bus or of passwords. */
@Injectable()
export class DirectoryRepository {
  private readonly contexts: Repository<ContextRow>;
  private readonly users: Repository<UserRow>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.contexts = dataSource.getRepository(ContextRow);
    this.users = dataSource.getRepository(UserRow);
  }

  /** Inserts the context, or returns undefined when the id is taken. */
  async insertContext(db: EntityManager, contextId: number, name: string, tags: string[]): Promise<ContextRow | undefined> {
    const rows: unknown[] = await db.query(
      `INSERT INTO "config"."contexts" ("context_id", "name", "tags") VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING "context_id"`,
      [contextId, name, tags],
    );
    return rows.length > 0 ? ((await db.getRepository(ContextRow).findOneBy({ contextId })) ?? undefined) : undefined;
  }

  findContext(contextId: number): Promise<ContextRow | null> {
    return this.contexts.findOneBy({ contextId });
  }

  listContexts(): Promise<ContextRow[]> {
    return this.contexts.find({ order: { contextId: 'ASC' } });
  }

  /** Inserts the user in the caller's transaction, or returns undefined when the login (case-insensitively) is taken. */
  async insertUser(db: EntityManager, row: NewUserRow): Promise<UserRow | undefined> {
    const rows: { user_id: number }[] = await db.query(
      `INSERT INTO "config"."users" ("context_id", "login", "display_name", "email", "password_hash")
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (lower("login")) DO NOTHING
       RETURNING "user_id"`,
      [row.contextId, row.login, row.displayName, row.email, row.passwordHash],
    );
    const userId = rows[0]?.user_id;
    return userId === undefined ? undefined : ((await db.getRepository(UserRow).findOneBy({ userId })) ?? undefined);
  }

  findUserById(userId: number): Promise<UserRow | null> {
    return this.users.findOneBy({ userId });
  }

  findUserByLogin(login: string): Promise<UserRow | null> {
    return this.users
      .createQueryBuilder('u')
      .where('lower(u.login) = lower(:login)', { login })
      .getOne();
  }

  listUsers(contextId?: number): Promise<UserRow[]> {
    return this.users.find({ where: contextId === undefined ? {} : { contextId }, order: { userId: 'ASC' } });
  }

  /** Applies the change and bumps the version in one statement, in the caller's transaction; undefined when no such user. */
  async updateUser(
    db: EntityManager,
    userId: number,
    change: Partial<Pick<UserRow, 'passwordHash' | 'enabled' | 'displayName' | 'email'>>,
  ): Promise<UserRow | undefined> {
    const users = db.getRepository(UserRow);
    const result = await users
      .createQueryBuilder()
      .update()
      .set({ ...change, version: () => '"version" + 1' })
      .where('user_id = :userId', { userId })
      .execute();
    if (!result.affected) return undefined;
    return (await users.findOneBy({ userId })) ?? undefined;
  }
}
