import { cachedPages, MemberListingCache, RenderedMemberListings } from './member-listing-cache';

async function collect<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...page);
  return items;
}

/** A listing in pages that counts how often it was asked for. */
function lister(pages: number[][]) {
  const asked = { times: 0 };
  const list = async function* () {
    asked.times++;
    for (const page of pages) yield page;
  };
  return { asked, list };
}

describe('MemberListingCache', () => {
  it('keeps a completed listing under its key and answers it without asking again', async () => {
    const cache = new MemberListingCache<number>();
    const { asked, list } = lister([[1, 2], [3]]);
    expect(await collect(cachedPages(cache, 'folder@1', list))).toEqual([1, 2, 3]);
    expect(await collect(cachedPages(cache, 'folder@1', list))).toEqual([1, 2, 3]);
    expect(asked.times).toBe(1);
    expect(cache.counts).toMatchObject({ hits: 1, misses: 1 });
  });

  it('asks again for another key (a new revision)', async () => {
    const cache = new MemberListingCache<number>();
    await collect(cachedPages(cache, 'folder@1', lister([[1]]).list));
    const { asked, list } = lister([[1, 2]]);
    expect(await collect(cachedPages(cache, 'folder@2', list))).toEqual([1, 2]);
    expect(asked.times).toBe(1);
  });

  it('does not keep a listing that ended early (a client gone, an error)', async () => {
    const cache = new MemberListingCache<number>();
    const pages = cachedPages(cache, 'folder@1', lister([[1], [2]]).list);
    for await (const page of pages) {
      expect(page).toEqual([1]);
      break;
    }
    const failing = async function* () {
      yield [1];
      throw new Error('the service went away');
    };
    await expect(collect(cachedPages(cache, 'folder@2', failing))).rejects.toThrow('went away');
    expect(cache.get('folder@1')).toBeUndefined();
    expect(cache.get('folder@2')).toBeUndefined();
  });

  it('neither keeps nor gathers a listing longer than its limit per listing', async () => {
    const cache = new MemberListingCache<number>(100, 3);
    await collect(cachedPages(cache, 'big', lister([[1, 2], [3, 4]]).list));
    expect(cache.get('big')).toBeUndefined();
    await collect(cachedPages(cache, 'small', lister([[1, 2], [3]]).list));
    expect(cache.get('small')).toEqual([1, 2, 3]);
  });

  it('drops the least recently used listings beyond its bound in members held', () => {
    const cache = new MemberListingCache<number>(5, 5);
    cache.put('a', [1, 2]);
    cache.put('b', [1, 2]);
    expect(cache.get('a')).toEqual([1, 2]);
    cache.put('c', [1, 2]);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual([1, 2]);
    expect(cache.get('c')).toEqual([1, 2]);
  });
});

describe('RenderedMemberListings', () => {
  it('weighs answers in characters: one beyond its limit per answer is not kept', async () => {
    const cache = new RenderedMemberListings();
    const big = 'x'.repeat(cache.maxPerListing);
    await collect(cachedPages(cache, 'big', async function* () {
      yield [big];
      yield ['<d:response/>'];
    }));
    expect(cache.get('big')).toBeUndefined();
    await collect(cachedPages(cache, 'small', async function* () {
      yield ['<d:response/>'];
    }));
    expect(cache.get('small')).toEqual(['<d:response/>']);
  });
});
