import { createHash } from 'node:crypto';
import { CacheCounts, ChangeGeneration, type GenerationMark } from '@davmesh/caching';
import { type User, type UserChangedEvent } from '@davmesh/contracts';

interface Entry {
  user: User;
  expiresAt: number;
}

/**
 * Remembers successful logins briefly so a sync burst does not run scrypt per request.
 * Keyed by a hash of login and password, so a changed password misses by itself; the
 * directory's user-changed events evict a user everywhere (password change, disable). A login
 * checked while an eviction arrived is not kept: its reply may predate the change.
 */
export class AuthCache {
  private readonly entries = new Map<string, Entry>();
  private readonly generation = new ChangeGeneration();
  readonly counts = new CacheCounts();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(login: string, password: string): User | undefined {
    const key = cacheKey(login, password);
    const entry = this.entries.get(key);
    const live = entry && entry.expiresAt > this.now() ? entry : undefined;
    if (entry && !live) this.entries.delete(key);
    return this.counts.lookup(live?.user);
  }

  /** Where a login check begins: pass it to `put` with its reply. */
  mark(): GenerationMark {
    return this.generation.mark();
  }

  put(login: string, password: string, user: User, checkedAt: GenerationMark): void {
    if (this.ttlMs <= 0 || !this.generation.isCurrent(checkedAt)) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(cacheKey(login, password), { user, expiresAt: this.now() + this.ttlMs });
  }

  /**
   * What the directory's user-changed event means here. A user just added has no entries, and
   * no login in flight can have read anything the addition replaced, so it changes nothing.
   */
  onUserChanged(event: Pick<UserChangedEvent, 'userId' | 'version' | 'change'>): number {
    return event.change === 'added' ? 0 : this.evictUser(event.userId, event.version);
  }

  /** Drops every entry of the user older than `version`. */
  evictUser(userId: number, version: number): number {
    this.generation.changed();
    let evicted = 0;
    for (const [key, entry] of this.entries) {
      if (entry.user.userId === userId && entry.user.version < version) {
        this.entries.delete(key);
        evicted++;
      }
    }
    this.counts.invalidations += evicted;
    return evicted;
  }

  clear(): void {
    this.generation.changed();
    this.counts.invalidations += this.entries.size;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

function cacheKey(login: string, password: string): string {
  return createHash('sha256').update(login.toLowerCase()).update('\u0000').update(password).digest('base64');
}
