import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { DomainException, type ContactChange, type SyncPosition } from '@davmesh/contracts';
import { FoldersService } from '../folders/folders.service';
import { ContactRepository } from '../objects/contact.repository';

const DEFAULT_LIMIT = 1000;

function invalidToken(message: string): DomainException {
  return new DomainException('not-found', message, { condition: 'valid-sync-token' });
}

/**
 * Changes of a set of folders since a position (a revision per folder). The cost is the
 * number of changes: the change log is read by (folder, revision) from the position on.
 * A reply holds at most `limit` changes and what one bus message carries; then `truncated`.
 */
@Injectable()
export class SyncService {
  constructor(
    @Inject(ContactRepository) private readonly contacts: ContactRepository,
    @Inject(FoldersService) private readonly folders: FoldersService,
    @Inject(BusClient) private readonly bus: BusClient,
  ) {}

  async changes(contextId: number, userId: number, folderIds: number[], since: SyncPosition | undefined, limit = DEFAULT_LIMIT) {
    for (const folderId of Object.keys(since ?? {})) {
      if (!folderIds.includes(Number(folderId))) throw invalidToken(`folder ${folderId} is no longer part of this collection`);
    }
    const revisions = new Map((await this.folders.visible(contextId, userId, folderIds)).map((f) => [f.folder_id, Number(f.revision)]));
    const changes: ContactChange[] = [];
    const position: SyncPosition = {};
    let truncated = false;
    // The position names every folder: charged up front.
    const room = this.bus.replyBudget().reserve(Object.fromEntries(folderIds.map((id) => [id, revisions.get(id)])));
    let full = false;
    for (const folderId of [...folderIds].sort((a, b) => a - b)) {
      const revision = revisions.get(folderId)!;
      const from = since?.[folderId];
      if (from !== undefined && from > revision) throw invalidToken(`folder ${folderId} never reached revision ${from}`);
      const budget = limit - changes.length;
      if (budget <= 0 || full) {
        truncated = true;
        if (from !== undefined) position[folderId] = from;
        continue;
      }
      const rows =
        from === undefined
          ? (await this.contacts.currentSince(contextId, folderId, 0, budget + 1)).map((r) => ({ ...r, etag: r.etag as string | null }))
          : await this.contacts.changesSince(contextId, folderId, from, budget + 1);
      const unfit = rows.slice(0, budget).findIndex((r) => !room.take(changeOf(folderId, r)));
      full = unfit >= 0;
      const taken = rows.slice(0, full ? unfit : budget);
      if (rows.length > taken.length) {
        truncated = true;
        if (taken.length > 0) position[folderId] = Number(taken[taken.length - 1].revision);
        else if (from !== undefined) position[folderId] = from;
      } else {
        position[folderId] = revision;
      }
      const latest = new Map<string, ContactChange>();
      for (const row of taken) latest.set(row.name, changeOf(folderId, row));
      // A name that moved here from another folder of the set is reported once, as it is now.
      for (const change of latest.values()) {
        const earlier = changes.findIndex((c) => c.name === change.name);
        if (earlier >= 0 && change.etag === undefined) continue;
        if (earlier >= 0) changes.splice(earlier, 1);
        changes.push(change);
      }
    }
    return { changes, position, truncated };
  }
}

/** A change as the reply carries it: with the current etag and modification time of what still exists. */
function changeOf(folderId: number, row: { name: string; etag: string | null; modified_at?: Date | string | null }): ContactChange {
  const current = row.etag && row.modified_at ? { etag: row.etag, lastModified: new Date(row.modified_at).toISOString() } : {};
  return { folderId, name: row.name, ...current };
}
