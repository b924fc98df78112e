import { type CalendarFolder, type CalendarFolderChangedEvent } from '@davmesh/contracts';
import { UserListingCache } from '../caches/user-listing-cache';

/**
 * The calendars each user saw last on this node (see UserListingCache). An entry goes when any
 * folder in it, or any folder of its user, changes; a miss on a segment is the caller's cue to
 * list anew. A change of a folder's objects alone keeps it: an entry is used only for answers
 * that show no revision (DavResources.openFor), and nothing else in it moved.
 */
export class CalendarFolderCache extends UserListingCache<CalendarFolder> {
  constructor(now?: () => number, maxUsers?: number) {
    super((folder) => String(folder.folderId), now, maxUsers);
  }

  onFolderChanged(event: CalendarFolderChangedEvent): void {
    if (event.objectsOnly) return;
    this.changed();
    this.forget(event.ownerUserId);
    this.forgetHolders(String(event.folderId));
  }
}
