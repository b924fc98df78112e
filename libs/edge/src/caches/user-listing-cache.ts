import { CacheCounts, ChangeGeneration, type GenerationMark } from '@davmesh/caching';

const MAX_AGE_MS = 30_000;
const MAX_USERS = 10_000;

interface Entry<F> {
  folders: F[];
  fetchedAt: number;
}

/**
 * The folders each user saw listed last on this node, for requests that name one collection:
 * the owning service checks access again on each of them, so an entry only saves the listing
 * round trip. Subclasses drop entries on their service's change events; an entry lives 30 s at
 * most, and the least recently listed users go first beyond 10,000.
 */
export class UserListingCache<F> {
  private readonly entries = new Map<number, Entry<F>>();
  /** A folder's holder key → users whose entry holds it. */
  private readonly holders = new Map<string, Set<number>>();
  /** A listing begun before a change event may be stale and is not kept. */
  private readonly generation = new ChangeGeneration();
  readonly counts = new CacheCounts();

  constructor(
    private readonly holderKey: (folder: F) => string,
    private readonly now: () => number = Date.now,
    private readonly maxUsers = MAX_USERS,
  ) {}

  get(userId: number): F[] | undefined {
    const entry = this.entries.get(userId);
    const live = entry && this.now() - entry.fetchedAt <= MAX_AGE_MS ? entry : undefined;
    if (entry && !live) this.drop(userId);
    return this.counts.lookup(live?.folders);
  }

  /** Where a listing begins: pass it to `put` when it is done. */
  mark(): GenerationMark {
    return this.generation.mark();
  }

  put(userId: number, folders: F[], listedAt: GenerationMark): void {
    if (!this.generation.isCurrent(listedAt)) return;
    this.drop(userId);
    this.entries.set(userId, { folders, fetchedAt: this.now() });
    for (const folder of folders) {
      const key = this.holderKey(folder);
      let users = this.holders.get(key);
      if (!users) this.holders.set(key, (users = new Set()));
      users.add(userId);
    }
    if (this.entries.size > this.maxUsers) this.drop(this.entries.keys().next().value!);
  }

  /** Drops the user's entry because something changed. */
  forget(userId: number): void {
    if (this.drop(userId)) this.counts.invalidations++;
  }

  /** Whether there was an entry to drop. */
  private drop(userId: number): boolean {
    const entry = this.entries.get(userId);
    if (!entry) return false;
    this.entries.delete(userId);
    for (const folder of entry.folders) {
      const key = this.holderKey(folder);
      const users = this.holders.get(key);
      users?.delete(userId);
      if (users?.size === 0) this.holders.delete(key);
    }
    return true;
  }

  clear(): void {
    this.changed();
    this.counts.invalidations += this.entries.size;
    this.entries.clear();
    this.holders.clear();
  }

  /** Call on every change event, before forgetting what it touches. */
  protected changed(): void {
    this.generation.changed();
  }

  protected forgetHolders(key: string): void {
    for (const userId of [...(this.holders.get(key) ?? [])]) this.forget(userId);
  }
}
