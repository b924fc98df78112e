import { UserListingCache } from './user-listing-cache';

/** A cache of plain folder ids, with a public way to signal a change, as the subclasses do on their events. */
class Listings extends UserListingCache<number> {
  constructor(now?: () => number, maxUsers?: number) {
    super(String, now, maxUsers);
  }

  folderChanged(folderId: number): void {
    this.changed();
    this.forgetHolders(String(folderId));
  }
}

describe('the per-user listing cache under both folder caches', () => {
  it('does not keep a listing that began before a change it may have missed', () => {
    const cache = new Listings();
    const listedAt = cache.mark();
    cache.folderChanged(10);
    cache.put(2, [10], listedAt);
    expect(cache.get(2)).toBeUndefined();
    cache.put(2, [10], cache.mark());
    expect(cache.get(2)).toEqual([10]);
  });

  it('lets entries age out after 30 s, and drops all on clear, listings begun before it too', () => {
    let now = 0;
    const cache = new Listings(() => now);
    cache.put(1, [10], cache.mark());
    now = 29_000;
    expect(cache.get(1)).toEqual([10]);
    now = 31_000;
    expect(cache.get(1)).toBeUndefined();
    cache.put(1, [10], cache.mark());
    const listedAt = cache.mark();
    cache.clear();
    expect(cache.get(1)).toBeUndefined();
    cache.put(1, [10], listedAt);
    expect(cache.get(1)).toBeUndefined();
  });

  it('keeps at most its bound of users, dropping the one listed longest ago, and forgets holders with it', () => {
    const cache = new Listings(Date.now, 2);
    cache.put(1, [10], cache.mark());
    cache.put(2, [20], cache.mark());
    cache.put(1, [10], cache.mark());
    cache.put(3, [10, 30], cache.mark());
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(1)).toEqual([10]);
    expect(cache.get(3)).toEqual([10, 30]);
    cache.folderChanged(10);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(3)).toBeUndefined();
  });
});
