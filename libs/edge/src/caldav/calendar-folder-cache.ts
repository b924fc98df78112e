import { type CalendarFolder, type CalendarFolderChangedEvent } from '@davmesh/contracts';

const MAX_AGE_MS = 30_000;

interface Entry {
  folders: CalendarFolder[];
  fetchedAt: number;
}

/**
 * The calendars each user saw last on this node, for requests that name one calendar
 * (GET, PUT, multiget, query): the calendar service checks access again on each of them,
 * so an entry only saves the listing round trip. An entry goes when any folder in it, or
 * any folder of its user, changes; a miss on a segment is the caller's cue to list anew.
 */
export class CalendarFolderCache {
  private readonly entries = new Map<number, Entry>();
  /** folderId → users whose entry holds it (owner and grantees). */
  private readonly holders = new Map<number, Set<number>>();
  /** Bumped by every change event: a listing begun before one may be stale and is not kept. */
  private generation = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get(userId: number): CalendarFolder[] | undefined {
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

  put(userId: number, folders: CalendarFolder[], listedAt: number): void {
    if (listedAt !== this.generation) return;
    this.forget(userId);
    this.entries.set(userId, { folders, fetchedAt: this.now() });
    for (const folder of folders) {
      let users = this.holders.get(folder.folderId);
      if (!users) this.holders.set(folder.folderId, (users = new Set()));
      users.add(userId);
    }
  }

  onFolderChanged(event: CalendarFolderChangedEvent): void {
    this.generation++;
    this.forget(event.ownerUserId);
    for (const userId of [...(this.holders.get(event.folderId) ?? [])]) this.forget(userId);
  }

  forget(userId: number): void {
    const entry = this.entries.get(userId);
    if (!entry) return;
    this.entries.delete(userId);
    for (const folder of entry.folders) {
      const users = this.holders.get(folder.folderId);
      users?.delete(userId);
      if (users?.size === 0) this.holders.delete(folder.folderId);
    }
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.holders.clear();
  }
}
