import { GAL_FOLDER_ID, type ContactFolder, type ContactFolderChangedEvent, type UserChangedEvent } from '@davmesh/contracts';
import { UserListingCache } from '../caches/user-listing-cache';

/** Folder ids repeat across contexts (the global address list is 6 in every one). */
const keyOf = (contextId: number, folderId: number) => `${contextId}:${folderId}`;

/**
 * The address books each user saw last on this node, as the contacts service listed them (before
 * any config rule; see UserListingCache). An entry goes when any folder in it changes, when a
 * folder of its user is made, shared or deleted, and when the directory changes its context; a
 * miss on a segment is the caller's cue to list anew. A change of a folder's contacts alone keeps
 * it, as in CalendarFolderCache.
 */
export class ContactFolderCache extends UserListingCache<ContactFolder> {
  constructor(now?: () => number, maxUsers?: number) {
    super((folder) => keyOf(folder.contextId, folder.folderId), now, maxUsers);
  }

  onFolderChanged(event: ContactFolderChangedEvent): void {
    if (event.objectsOnly) return;
    this.changed();
    this.forgetHolders(keyOf(event.contextId, event.folderId));
    // A new folder or share is in no entry yet, but changes what its owner's and grantee's aggregated book holds.
    if (event.ownerUserId !== undefined) this.forget(event.ownerUserId);
    if (event.granteeUserId !== undefined) this.forget(event.granteeUserId);
  }

  /** The global address list, and so every aggregated book of the context, follows the directory. */
  onUserChanged(event: Pick<UserChangedEvent, 'userId' | 'contextId'>): void {
    this.changed();
    this.forget(event.userId);
    this.forgetHolders(keyOf(event.contextId, GAL_FOLDER_ID));
  }
}
