import { GAL_FOLDER_ID, type ContactFolder } from '@davmesh/contracts';
import { ContactFolderCache } from './contact-folder-cache';

function folder(folderId: number, ownerUserId: number | null, contextId = 1): ContactFolder {
  return {
    folderId,
    contextId,
    kind: ownerUserId === null ? 'gal' : 'custom',
    ownerUserId,
    slug: null,
    displayName: `Folder ${folderId}`,
    description: null,
    rights: ownerUserId === null ? 'read' : 'write',
    revision: 1,
    deadProperties: [],
  };
}

const gal = (contextId: number) => folder(GAL_FOLDER_ID, null, contextId);

describe('the edge contact folder cache', () => {
  it('forgets every user holding a folder when it changes, and leaves the others', () => {
    const cache = new ContactFolderCache();
    cache.put(1, [folder(10, 1)], cache.mark());
    cache.put(2, [folder(20, 2), folder(10, 1)], cache.mark());
    cache.put(3, [folder(30, 3)], cache.mark());
    cache.onFolderChanged({ contextId: 1, folderId: 10, revision: 2 });
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(3)).toEqual([folder(30, 3)]);
  });

  it('forgets the owner and the grantee of a book made or shared, though their listings do not hold it yet', () => {
    const cache = new ContactFolderCache();
    cache.put(1, [folder(10, 1)], cache.mark());
    cache.put(2, [folder(20, 2)], cache.mark());
    cache.put(3, [folder(30, 3)], cache.mark());
    cache.onFolderChanged({ contextId: 1, folderId: 99, revision: 0, ownerUserId: 1, granteeUserId: 2 });
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(3)).toHaveLength(1);
  });

  it('tells the global address lists of two contexts apart, and drops a whole context on a directory change', () => {
    const cache = new ContactFolderCache();
    cache.put(1, [folder(10, 1), gal(1)], cache.mark());
    cache.put(2, [folder(20, 2), gal(1)], cache.mark());
    cache.put(7, [folder(70, 7, 2), gal(2)], cache.mark());
    cache.onFolderChanged({ contextId: 2, folderId: GAL_FOLDER_ID, revision: 5 });
    expect(cache.get(7)).toBeUndefined();
    expect(cache.get(1)).toHaveLength(2);
    cache.put(7, [folder(70, 7, 2), gal(2)], cache.mark());
    cache.onUserChanged({ userId: 3, contextId: 1 });
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(7)).toHaveLength(2);
  });

  it("keeps every listing when only a book's contacts changed", () => {
    const cache = new ContactFolderCache();
    cache.put(1, [folder(10, 1)], cache.mark());
    cache.put(2, [folder(10, 1), gal(1)], cache.mark());
    cache.onFolderChanged({ contextId: 1, folderId: 10, revision: 2, objectsOnly: true });
    cache.onFolderChanged({ contextId: 1, folderId: GAL_FOLDER_ID, revision: 3, objectsOnly: true });
    expect(cache.get(1)).toHaveLength(1);
    expect(cache.get(2)).toHaveLength(2);
  });
});
