import { GAL_FOLDER_ID, type ContactFolder, type ContactFolderChangedEvent, type UserChangedEvent } from '@davmesh/contracts';

const MAX_AGE_MS = 30_000;

interface Entry {
  folders: ContactFolder[];
  fetchedAt: number;
}

/** Folder ids repeat across contexts (the global address list is 6 in every one). */
const keyOf = (contextId: number, folderId: number) => `${contextId}:${folderId}`;

/**
 * The address books each user saw last on this node, as the contacts service listed them (before
 * any config rule), for requests that name one collection (GET, PUT, multiget, query): the contacts
 * service checks access again on each of them, so an entry only saves the listing round trip. An
 * entry goes when any folder in it changes, when a folder of its user is made, shared or deleted,
 * and when the directory changes its context; a miss on a segment is the caller's cue to list anew.
 */
export class ContactFolderCache {
  private readonly entries = new Map<number, Entry>();
  /** contextId:folderId → users whose entry holds it (owner, grantees, everyone for the global address list). */
  private readonly holders = new Map<string, Set<number>>();
  /** Bumped by every change event: a listing begun before one may be stale and is not kept. */
  private generation = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get(userId: number): ContactFolder[] | undefined {
    const entry = this.entries.get(userId);
    if (!entry) return undefined;
    if (this.now() - entry.fetchedAt > MAX_AGE_MS) {
      this.forget(userId);
      return undefined;
    }
    return entry.folders;
  }

  /** Where a listing begins: pass it to `put` when it is done. */
  mark(): number {
    return this.generation;
  }

  put(userId: number, folders: ContactFolder[], listedAt: number): void {
    if (listedAt !== this.generation) return;
    this.forget(userId);
    this.entries.set(userId, { folders, fetchedAt: this.now() });
    for (const folder of folders) {
      const key = keyOf(folder.contextId, folder.folderId);
      let users = this.holders.get(key);
      if (!users) this.holders.set(key, (users = new Set()));
      users.add(userId);
    }
  }

  onFolderChanged(event: ContactFolderChangedEvent): void {
    this.generation++;
    this.forgetHolders(event.contextId, event.folderId);
    // A new folder or share is in no entry yet, but changes what its owner's and grantee's aggregated book holds.
    if (event.ownerUserId !== undefined) this.forget(event.ownerUserId);
    if (event.granteeUserId !== undefined) this.forget(event.granteeUserId);
  }

  /** The global address list, and so every aggregated book of the context, follows the directory. */
  onUserChanged(event: Pick<UserChangedEvent, 'userId' | 'contextId'>): void {
    this.generation++;
    this.forget(event.userId);
    this.forgetHolders(event.contextId, GAL_FOLDER_ID);
  }

  forget(userId: number): void {
    const entry = this.entries.get(userId);
    if (!entry) return;
    this.entries.delete(userId);
    for (const folder of entry.folders) {
      const key = keyOf(folder.contextId, folder.folderId);
      const users = this.holders.get(key);
      users?.delete(userId);
      if (users?.size === 0) this.holders.delete(key);
    }
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.holders.clear();
  }

  private forgetHolders(contextId: number, folderId: number): void {
    for (const userId of [...(this.holders.get(keyOf(contextId, folderId)) ?? [])]) this.forget(userId);
  }
}
