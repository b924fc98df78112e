import { type BusClient } from '@davmesh/bus';
import { DomainException, FIND_BY_ADDRESS_BATCH, MAX_CALENDAR_ADDRESS_LENGTH, UsersFindByAddress, UsersGet, type User } from '@davmesh/contracts';
import { calendarAddress } from '@davmesh/itip';

/** Whom a calendar user address names, seen from a context: one of its users, someone outside (by mail), or nobody reachable. */
export type Addressee = { kind: 'user'; user: User } | { kind: 'external' } | { kind: 'unknown' };

/**
 * Thrown inside a write's transaction when scheduling needs what the directory has not told this
 * request yet: the transaction rolls back, the request asks the directory (with no transaction
 * open: in embedded mode the directory lives in the same database, and a transaction held across
 * the request would wait for itself) and writes again.
 */
export class DirectoryNeeded extends Error {
  constructor(
    readonly ownerUserId: number,
    readonly addresses: readonly string[],
  ) {
    super('scheduling needs the directory first');
    this.name = 'DirectoryNeeded';
  }
}

/** An address as this request knows it (calendarAddress's folding); undefined for one longer than the directory is asked about. */
function keyOf(address: string): string | undefined {
  const key = calendarAddress(address);
  return key.length > 0 && key.length <= MAX_CALENDAR_ADDRESS_LENGTH ? key : undefined;
}

/**
 * What one write's scheduling learnt from the directory (config.v1.directory), kept for the
 * request only: the owners of the calendars written, and who each address of the object is in
 * the owner's context. The directory decides what an address names (`mailto:` an e-mail address,
 * or a principal's URL, whose layout is its to know: users.find-by-address); this service never
 * reads one. Users of other contexts are outside, as anyone else.
 */
export class SchedulingDirectory {
  /** By user id; null for an id the directory does not know. */
  private readonly users = new Map<number, User | null>();
  /** By `<contextId> <address key>`; null for an address no user of that context has. */
  private readonly addresses = new Map<string, User | null>();

  constructor(private readonly bus: BusClient) {}

  /**
   * The owner (undefined when the directory does not know them), once the owner and every
   * address given are known; DirectoryNeeded otherwise.
   */
  require(ownerUserId: number, addresses: Iterable<string>): User | undefined {
    const owner = this.users.get(ownerUserId);
    if (owner === null) return undefined;
    const keys = [...new Set([...addresses].flatMap((address) => keyOf(address) ?? []))];
    const missing = owner === undefined ? keys : keys.filter((key) => !this.addresses.has(`${owner.contextId} ${key}`));
    if (owner === undefined || missing.length > 0) throw new DirectoryNeeded(ownerUserId, missing);
    return owner;
  }

  /** Whom an address `require` checked names, in the context given. */
  addressee(contextId: number, address: string): Addressee {
    const key = keyOf(address);
    if (key === undefined) return { kind: 'unknown' };
    const user = this.addresses.get(`${contextId} ${key}`);
    if (user === undefined) throw new Error(`${key} was not looked up before its delivery`);
    if (user) return { kind: 'user', user };
    return key.startsWith('mailto:') && key.length > 'mailto:'.length ? { kind: 'external' } : { kind: 'unknown' };
  }

  /** Of the addresses `require` checked, those that name `user` (in their context), as given. */
  addressesOf(user: User, addresses: Iterable<string>): string[] {
    return [...new Set(addresses)].filter((address) => {
      const key = keyOf(address);
      return key !== undefined && this.addresses.get(`${user.contextId} ${key}`)?.userId === user.userId;
    });
  }

  /** Asks the directory, before any transaction, for the owner and whatever of `addresses` it was not asked yet. */
  async learn(ownerUserId: number, addresses: Iterable<string>): Promise<void> {
    try {
      this.require(ownerUserId, addresses);
    } catch (error) {
      if (!(error instanceof DirectoryNeeded)) throw error;
      await this.lookUp(error);
    }
  }

  /** Asks the directory what `needed` names; no transaction may be open. */
  async lookUp(needed: DirectoryNeeded): Promise<void> {
    if (!this.users.has(needed.ownerUserId)) {
      const reply = await this.bus.request(UsersGet, { userId: needed.ownerUserId });
      if (!reply.ok && reply.error.code !== 'not-found') throw new DomainException(reply.error.code, reply.error.message);
      this.users.set(needed.ownerUserId, reply.ok ? reply.data : null);
    }
    const owner = this.users.get(needed.ownerUserId);
    if (!owner) return;
    const wanted = [...new Set(needed.addresses)].filter((key) => !this.addresses.has(`${owner.contextId} ${key}`));
    for (let start = 0; start < wanted.length; start += FIND_BY_ADDRESS_BATCH) {
      const batch = wanted.slice(start, start + FIND_BY_ADDRESS_BATCH);
      for (const key of batch) this.addresses.set(`${owner.contextId} ${key}`, null);
      for (const { address, user } of await this.bus.call(UsersFindByAddress, { contextId: owner.contextId, addresses: batch })) {
        this.addresses.set(`${owner.contextId} ${address}`, user);
      }
    }
  }
}
