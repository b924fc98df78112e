import { type CalendarFolder } from '@davmesh/contracts';
import { CalendarFolderCache } from './calendar-folder-cache';

function folder(folderId: number, ownerUserId: number): CalendarFolder {
  return {
    folderId,
    ownerUserId,
    collectionName: String(folderId),
    displayName: `Folder ${folderId}`,
    description: null,
    color: null,
    order: null,
    timezone: null,
    components: ['VEVENT'],
    revision: 1,
    rights: 'write',
    deadProperties: [],
  };
}

describe('the edge calendar folder cache', () => {
  it('forgets every user holding a folder when it changes, and the owner even when they hold none of it', () => {
    const cache = new CalendarFolderCache();
    cache.put(1, [folder(10, 1)], cache.mark());
    cache.put(2, [folder(20, 2), folder(10, 1)], cache.mark());
    cache.put(3, [folder(30, 3)], cache.mark());
    cache.onFolderChanged({ folderId: 10, ownerUserId: 1, revision: 2 });
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(3)).toEqual([folder(30, 3)]);
    cache.onFolderChanged({ folderId: 99, ownerUserId: 3, revision: 1 });
    expect(cache.get(3)).toBeUndefined();
  });

  it("keeps every listing, and a listing under way, when only a folder's objects changed", () => {
    const cache = new CalendarFolderCache();
    cache.put(1, [folder(10, 1)], cache.mark());
    const listing = cache.mark();
    cache.onFolderChanged({ folderId: 10, ownerUserId: 1, revision: 2, objectsOnly: true });
    cache.put(2, [folder(10, 1)], listing);
    expect(cache.get(1)).toEqual([folder(10, 1)]);
    expect(cache.get(2)).toEqual([folder(10, 1)]);
  });
});
