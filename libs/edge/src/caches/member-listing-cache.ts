import { CacheCounts } from '@davmesh/caching';
import { type CalendarObjectMeta, type ContactObject } from '@davmesh/contracts';

const MAX_ITEMS = 200_000;
const MAX_PER_LISTING = 20_000;

/**
 * The members of a collection as its service listed them (names, ETags, sizes; no data), keyed
 * by what the collection is at that moment: its folders' revisions as this request's fresh folder
 * listing gave them, and for calendars the sync window. Every write to a folder raises its
 * revision, so a key names one state of the collection and an entry cannot go stale; nothing
 * needs to empty it. A listing finished after a write that its key's revision predates holds
 * that newer state: newer than its key, never older. Bounded in members held (least recently
 * used listings go first) and in members per listing (a bigger one is not kept).
 */
export class MemberListingCache<T> {
  private readonly listings = new Map<string, readonly T[]>();
  private held = 0;
  readonly counts = new CacheCounts();

  constructor(
    private readonly maxItems = MAX_ITEMS,
    readonly maxPerListing = MAX_PER_LISTING,
  ) {}

  get(key: string): readonly T[] | undefined {
    const found = this.listings.get(key);
    if (found) {
      this.listings.delete(key);
      this.listings.set(key, found);
    }
    return this.counts.lookup(found);
  }

  put(key: string, items: readonly T[]): void {
    if (items.length > this.maxPerListing || this.listings.has(key)) return;
    this.listings.set(key, items);
    this.held += items.length;
    for (const [oldest, listing] of this.listings) {
      if (this.held <= this.maxItems) break;
      this.listings.delete(oldest);
      this.held -= listing.length;
    }
  }

  clear(): void {
    this.listings.clear();
    this.held = 0;
  }
}

/**
 * A collection's members from the cache when its key is known, else page by page from `list`,
 * kept once the listing completed; a listing that ends early (the client went away, an error)
 * is not kept.
 */
export async function* cachedPages<T>(cache: MemberListingCache<T>, key: string, list: () => AsyncIterable<T[]>): AsyncGenerator<readonly T[]> {
  const cached = cache.get(key);
  if (cached) {
    yield cached;
    return;
  }
  // A listing too big to keep is not gathered either: a big collection never sits in memory.
  let listed: T[] | undefined = [];
  for await (const page of list()) {
    if (listed) listed = listed.length + page.length > cache.maxPerListing ? undefined : listed.concat(page);
    yield page;
  }
  if (listed) cache.put(key, listed);
}

/** The members of calendars as PROPFIND Depth 1 lists them. */
export class CalendarMemberListings extends MemberListingCache<CalendarObjectMeta> {}

/** The members of address books as PROPFIND Depth 1 lists them. */
export class ContactMemberListings extends MemberListingCache<ContactObject> {}
