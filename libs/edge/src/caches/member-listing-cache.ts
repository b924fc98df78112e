import { CacheCounts } from '@davmesh/caching';
import { type CalendarObjectMeta, type ContactObject } from '@davmesh/contracts';
import { type PropfindRequest, type QName } from '@davmesh/dav';

const MAX_ITEMS = 200_000;
const MAX_PER_LISTING = 20_000;

/**
 * The members of a collection as its service listed them (names, ETags, sizes; no data), keyed
 * by what the collection is at that moment: its folders' revisions as this request's fresh folder
 * listing gave them, and for calendars the sync window. Every write to a folder raises its
 * revision, so a key names one state of the collection and an entry cannot go stale; nothing
 * needs to empty it. A listing finished after a write that its key's revision predates holds
 * that newer state: newer than its key, never older. Bounded in weight held (least recently
 * used listings go first) and in weight per listing (a heavier one is not kept); a member
 * weighs 1 unless `weigh` says otherwise.
 */
export class MemberListingCache<T> {
  private readonly listings = new Map<string, { items: readonly T[]; weight: number }>();
  private held = 0;
  readonly counts = new CacheCounts();

  constructor(
    private readonly maxItems = MAX_ITEMS,
    readonly maxPerListing = MAX_PER_LISTING,
    readonly weigh: (item: T) => number = () => 1,
  ) {}

  get(key: string): readonly T[] | undefined {
    const found = this.listings.get(key);
    if (found) {
      this.listings.delete(key);
      this.listings.set(key, found);
    }
    return this.counts.lookup(found?.items);
  }

  put(key: string, items: readonly T[]): void {
    const weight = this.weightOf(items);
    if (weight > this.maxPerListing || this.listings.has(key)) return;
    this.listings.set(key, { items, weight });
    this.held += weight;
    for (const [oldest, listing] of this.listings) {
      if (this.held <= this.maxItems) break;
      this.listings.delete(oldest);
      this.held -= listing.weight;
    }
  }

  weightOf(items: readonly T[]): number {
    let weight = 0;
    for (const item of items) weight += this.weigh(item);
    return weight;
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
  let weight = 0;
  for await (const page of list()) {
    weight += cache.weightOf(page);
    if (listed) listed = weight > cache.maxPerListing ? undefined : listed.concat(page);
    yield page;
  }
  if (listed) cache.put(key, listed);
}

/** The members of calendars as PROPFIND Depth 1 lists them. */
export class CalendarMemberListings extends MemberListingCache<CalendarObjectMeta> {}

/** The members of address books as PROPFIND Depth 1 lists them. */
export class ContactMemberListings extends MemberListingCache<ContactObject> {}

/**
 * PROPFIND Depth 1's answer for a collection's members, as XML pages, under the key of the member
 * listing it was rendered from, with what else the XML depends on: the user, the collection's
 * href, their rights on it, the properties asked and whether the answer is minimal. Weighed in
 * characters: 32 Mi held (up to 64 MiB), 8 Mi (about 35,000 members with an ETag) per answer.
 */
export class RenderedMemberListings extends MemberListingCache<string> {
  constructor() {
    super(32 * 1024 * 1024, 8 * 1024 * 1024, (xml) => xml.length);
  }
}

/**
 * Members' XML for PROPFIND Depth 1 or an initial sync (which render them alike): kept under
 * `membersKey` (`renderedMembersKey`) with the properties asked and minimality, else rendered
 * by `render`, a page at a time.
 */
export function renderedPages(
  cache: RenderedMemberListings,
  membersKey: string | undefined,
  propfind: PropfindRequest,
  minimal: boolean,
  render: () => AsyncIterable<string[]>,
): AsyncIterable<readonly string[]> {
  return membersKey ? cachedPages(cache, `${membersKey} ${minimal ? 'minimal' : 'full'} ${propfindKey(propfind)}`, render) : render();
}

function propfindKey(propfind: PropfindRequest): string {
  const names = (qnames: QName[]) => qnames.map((q) => `{${q.ns}}${q.local}`).join('');
  if (propfind.kind === 'prop') return `prop ${names(propfind.props)}`;
  if (propfind.kind === 'allprop') return `allprop ${names(propfind.include)}`;
  return 'propname';
}
