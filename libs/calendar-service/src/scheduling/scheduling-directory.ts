import { type BusClient } from '@davmesh/bus';
import { DomainException, UsersFindByEmail, UsersGet, type User } from '@davmesh/contracts';
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

/** What find-by-email takes: addresses no longer are nobody's, and at most this many per request. */
const MAX_EMAIL_LENGTH = 320;
const LOOKUP_BATCH = 1000;

/** The `mailto:` address's mailbox, when it is one the directory could hold. */
function mailboxOf(address: string): string | undefined {
  const normalised = calendarAddress(address);
  if (!normalised.startsWith('mailto:')) return undefined;
  const mailbox = normalised.slice('mailto:'.length);
  return mailbox.length > 0 && mailbox.length <= MAX_EMAIL_LENGTH ? mailbox : undefined;
}

/**
 * What one write's scheduling learnt from the directory (config.v1.directory), kept for the
 * request only: the owners of the calendars written, and who each `mailto:` address of the
 * object is in the owner's context. Users of other contexts are outside, as anyone else.
 */
export class SchedulingDirectory {
  /** By user id; null for an id the directory does not know. */
  private readonly users = new Map<number, User | null>();
  /** By `<contextId> <mailbox>`; null for an address no user of that context has. */
  private readonly mailboxes = new Map<string, User | null>();

  constructor(private readonly bus: BusClient) {}

  /**
   * The owner (undefined when the directory does not know them), once the owner and every
   * `mailto:` address given are known; DirectoryNeeded otherwise.
   */
  require(ownerUserId: number, addresses: Iterable<string>): User | undefined {
    const owner = this.users.get(ownerUserId);
    if (owner === null) return undefined;
    const mailboxes = [...new Set([...addresses].flatMap((address) => mailboxOf(address) ?? []))];
    const missing = owner === undefined ? mailboxes : mailboxes.filter((mailbox) => !this.mailboxes.has(`${owner.contextId} ${mailbox}`));
    if (owner === undefined || missing.length > 0) throw new DirectoryNeeded(ownerUserId, missing);
    return owner;
  }

  /** Whom an address of an object `require` checked names, in the context given. */
  addressee(contextId: number, address: string): Addressee {
    const mailbox = mailboxOf(address);
    if (mailbox === undefined) return { kind: 'unknown' };
    const user = this.mailboxes.get(`${contextId} ${mailbox}`);
    if (user === undefined) throw new Error(`${mailbox} was not looked up before its delivery`);
    return user ? { kind: 'user', user } : { kind: 'external' };
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
    const wanted = [...new Set(needed.addresses)].filter((mailbox) => !this.mailboxes.has(`${owner.contextId} ${mailbox}`));
    for (let start = 0; start < wanted.length; start += LOOKUP_BATCH) {
      const batch = wanted.slice(start, start + LOOKUP_BATCH);
      const found = new Map<string, User>();
      for (const user of await this.bus.call(UsersFindByEmail, { contextId: owner.contextId, emails: batch })) {
        const mailbox = user.email?.toLowerCase();
        if (mailbox && !found.has(mailbox)) found.set(mailbox, user);
      }
      for (const mailbox of batch) this.mailboxes.set(`${owner.contextId} ${mailbox}`, found.get(mailbox) ?? null);
    }
  }
}
