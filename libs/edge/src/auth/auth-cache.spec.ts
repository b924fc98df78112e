import { type User } from '@davmesh/contracts';
import { AuthCache } from './auth-cache';
import { parseBasicAuthorization } from './basic-credentials';

const anna: User = { userId: 1, contextId: 1, login: 'anna', displayName: 'Anna', email: null, enabled: true, version: 3 };

describe('auth cache', () => {
  it('remembers a login only for the same password and only until it expires', () => {
    let now = 0;
    const cache = new AuthCache(1000, 10, () => now);
    cache.put('anna', 'pw', anna, cache.mark());
    expect(cache.get('anna', 'pw')).toEqual(anna);
    expect(cache.get('anna', 'other')).toBeUndefined();
    now = 1000;
    expect(cache.get('anna', 'pw')).toBeUndefined();
  });

  it('evicts a user when a newer version of them is announced, not an older one', () => {
    const cache = new AuthCache(60_000);
    cache.put('anna', 'pw', anna, cache.mark());
    expect(cache.evictUser(1, 3)).toBe(0);
    expect(cache.evictUser(1, 4)).toBe(1);
    expect(cache.get('anna', 'pw')).toBeUndefined();
  });

  it('stays bounded', () => {
    const cache = new AuthCache(60_000, 2);
    cache.put('a', '1', anna, cache.mark());
    cache.put('b', '1', anna, cache.mark());
    cache.put('c', '1', anna, cache.mark());
    expect(cache.size).toBe(2);
    expect(cache.get('a', '1')).toBeUndefined();
  });
});

describe('Basic credentials', () => {
  it('splits at the first colon, so passwords may contain colons', () => {
    const header = `Basic ${Buffer.from('anna:pa:ss').toString('base64')}`;
    expect(parseBasicAuthorization(header)).toEqual({ login: 'anna', password: 'pa:ss' });
  });

  it('ignores other schemes and unreadable values', () => {
    expect(parseBasicAuthorization('Bearer abc')).toBeUndefined();
    expect(parseBasicAuthorization(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeUndefined();
    expect(parseBasicAuthorization(undefined)).toBeUndefined();
  });
});
