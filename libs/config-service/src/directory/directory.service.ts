import { Inject, Injectable } from '@nestjs/common';
import {
  CONFIG_KEYS,
  DomainException,
  emailOfCalendarAddress,
  principalUserIdOf,
  UserChanged,
  type AddressedUser,
  type ConfigKey,
  type Context,
  type User,
  type UserChange,
  type UsersAddRequest,
} from '@davmesh/contracts';
import { ServerConfigHolder } from '../cascade/server-config.holder';
import { ConfigUnitOfWork, type ConfigTransaction } from '../config.unit-of-work';
import { DirectoryRepository, type ContextRow, type UserRow, type UserUpdate } from './directory.repository';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password-hasher';

/** One message for every failed login, whichever part was wrong. */
export const BAD_CREDENTIALS = 'invalid credentials';

@Injectable()
export class DirectoryService {
  constructor(
    @Inject(DirectoryRepository) private readonly repository: DirectoryRepository,
    @Inject(ConfigUnitOfWork) private readonly unitOfWork: ConfigUnitOfWork,
    @Inject(ServerConfigHolder) private readonly server: ServerConfigHolder,
  ) {}

  /** In a transaction of the unit of work for its write key alone: a context is announced by no event. */
  async addContext(contextId: number, name: string | undefined, tags: string[] | undefined): Promise<Context> {
    return this.unitOfWork.transaction(async (tx) => {
      const row = await tx.directory.insertContext(contextId, name ?? `context ${contextId}`, tags ?? []);
      if (!row) throw new DomainException('conflict', `context ${contextId} exists already`);
      return toContext(row);
    });
  }

  async listContexts(): Promise<Context[]> {
    return (await this.repository.listContexts()).map(toContext);
  }

  async addUser(request: UsersAddRequest): Promise<User> {
    if (!(await this.repository.findContext(request.contextId))) {
      throw new DomainException('not-found', `context ${request.contextId} does not exist`);
    }
    const passwordHash = await hashPassword(request.password);
    return this.changed('added', async (tx) => {
      const row = await tx.directory.insertUser({
        contextId: request.contextId,
        login: request.login,
        displayName: request.displayName ?? request.login,
        email: request.email ?? null,
        passwordHash,
      });
      if (!row) throw new DomainException('conflict', `login "${request.login}" is taken`);
      return row;
    });
  }

  async getUser(userId: number): Promise<User> {
    const row = await this.repository.findUserById(userId);
    if (!row) throw new DomainException('not-found', `no user ${userId}`);
    return this.toUser(row);
  }

  async findByLogin(login: string): Promise<User> {
    return this.toUser(await this.requireLogin(login));
  }

  async listUsers(contextId: number | undefined): Promise<User[]> {
    return (await this.repository.listUsers(contextId)).map((row) => this.toUser(row));
  }

  /**
   * The enabled and disabled users of the context (of every context when undefined) whose
   * address, stored or default, is one of `emails`. Candidates are read by stored address and by
   * login, then kept by the address `toUser` gives them: the default rule lives in one place.
   */
  async findByEmail(contextId: number | undefined, emails: string[]): Promise<User[]> {
    const wanted = new Set(emails.map((email) => email.toLowerCase()));
    const domain = this.defaultDomain();
    const logins = domain === '' ? [] : [...wanted].flatMap((email) => loginsWithDefault(email, domain));
    const rows = await this.repository.findUsersByEmailOrLogin(contextId, [...wanted], logins);
    return rows.map((row) => this.toUser(row)).filter((user) => user.email !== null && wanted.has(user.email.toLowerCase()));
  }

  /**
   * Who each calendar user address names in the context: `mailto:` (or a bare address) as
   * findByEmail compares it, a principal URL or path by the prefixes the server files set.
   */
  async findByAddress(contextId: number, addresses: string[]): Promise<AddressedUser[]> {
    const prefixes = [this.serverValue('com.openexchange.dav.prefixPath'), this.serverValue('com.openexchange.dav.proxyPrefixPath')];
    const named = addresses.map((address) => ({ address, email: emailOfCalendarAddress(address), userId: principalUserIdOf(address, prefixes) }));
    const emails = [...new Set(named.flatMap((n) => n.email ?? []))];
    const userIds = [...new Set(named.flatMap((n) => n.userId ?? []))];
    const byEmail = new Map<string, User>();
    for (const user of emails.length > 0 ? await this.findByEmail(contextId, emails) : []) if (!byEmail.has(user.email!.toLowerCase())) byEmail.set(user.email!.toLowerCase(), user);
    const byId = new Map((userIds.length > 0 ? await this.repository.findUsersByIds(contextId, userIds) : []).map((row) => [row.userId, this.toUser(row)]));
    return named.flatMap(({ address, email, userId }) => {
      const user = (email !== undefined ? byEmail.get(email) : undefined) ?? (userId !== undefined ? byId.get(userId) : undefined);
      return user ? [{ address, user }] : [];
    });
  }

  async setPassword(login: string, password: string): Promise<User> {
    const row = await this.requireLogin(login);
    const passwordHash = await hashPassword(password);
    return this.changed('password-changed', (tx) => this.update(tx, login, row.userId, { passwordHash }));
  }

  async updateProfile(login: string, change: { displayName?: string; email?: string | null }): Promise<User> {
    const row = await this.requireLogin(login);
    return this.changed('updated', (tx) => this.update(tx, login, row.userId, change));
  }

  async setEnabled(login: string, enabled: boolean): Promise<User> {
    const row = await this.requireLogin(login);
    return this.changed(enabled ? 'enabled' : 'disabled', (tx) => this.update(tx, login, row.userId, { enabled }));
  }

  /** Wrong password, unknown login and disabled user all fail alike, in about the same time. */
  async authenticate(login: string, password: string): Promise<User> {
    // PostgreSQL refuses NUL in text, and scrypt's HMAC would ignore trailing NULs of a password.
    if (`${login}${password}`.includes('\u0000')) throw new DomainException('unauthenticated', BAD_CREDENTIALS);
    const row = await this.repository.findUserByLogin(login);
    const valid = await verifyPassword(password, row?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!row || !valid || !row.enabled) throw new DomainException('unauthenticated', BAD_CREDENTIALS);
    return this.toUser(row);
  }

  private async requireLogin(login: string): Promise<UserRow> {
    const row = await this.repository.findUserByLogin(login);
    if (!row) throw new DomainException('not-found', `no user "${login}"`);
    return row;
  }

  private async update(tx: ConfigTransaction, login: string, userId: number, change: UserUpdate): Promise<UserRow> {
    const updated = await tx.directory.updateUser(userId, change);
    if (!updated) throw new DomainException('not-found', `no user "${login}"`);
    return updated;
  }

  /** davmesh.scheduling.defaultEmailDomain as the server files set it ('' for none). */
  private defaultDomain(): string {
    return this.serverValue('davmesh.scheduling.defaultEmailDomain');
  }

  /** A server-only key as the server files set it, else its default. */
  private serverValue(key: ConfigKey): string {
    return String(this.server.config.properties.get(key)?.value ?? CONFIG_KEYS[key].default);
  }

  private toUser(row: UserRow): User {
    return {
      userId: row.userId,
      contextId: row.contextId,
      login: row.login,
      displayName: row.displayName,
      email: row.email ?? defaultEmail(row.login, this.defaultDomain()),
      enabled: row.enabled,
      version: row.version,
    };
  }

  /** Writes the user and, in the same transaction, the event every node hears of it by. */
  private changed(change: UserChange, write: (tx: ConfigTransaction) => Promise<UserRow>): Promise<User> {
    return this.unitOfWork.transaction(async (tx, announce) => {
      const user = this.toUser(await write(tx));
      announce(UserChanged, { userId: user.userId, contextId: user.contextId, login: user.login, change, version: user.version });
      return user;
    });
  }
}

function toContext(row: ContextRow): Context {
  return { contextId: row.contextId, name: row.name, tags: row.tags };
}

/**
 * The address a user without one gets: a login that is an address is its own, any other is
 * `<login>@<domain>`. Lower case, as logins compare.
 */
export function defaultEmail(login: string, domain: string): string | null {
  if (domain === '') return null;
  return login.includes('@') ? login.toLowerCase() : `${login.toLowerCase()}@${domain}`;
}

/** The logins whose default address `email` could be (lower case). */
function loginsWithDefault(email: string, domain: string): string[] {
  const at = email.lastIndexOf('@');
  return at > 0 && email.slice(at + 1) === domain ? [email, email.slice(0, at)] : [email];
}
