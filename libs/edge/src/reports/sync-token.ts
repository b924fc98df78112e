import { type SyncPosition } from '@davmesh/contracts';
import { Condition } from '@davmesh/dav';
import { preconditionError } from '../http/reply-errors';

const TOKEN_PREFIX = 'http://davmesh.org/ns/sync/';

/** The key of a notification collection's revision in a token (`…/sync/notifications-12`): never a folder id, so no folder's token passes for one. */
export const NOTIFICATIONS_SYNC_KEY = 'notifications';

/** One entry of a token: a folder id (or the notification collection's key) and its revision. */
const TOKEN_ENTRY = new RegExp(`^([1-9][0-9]{0,9}|${NOTIFICATIONS_SYNC_KEY})-([0-9]{1,15})$`);

/** RFC 6578 token: a URI carrying the revision of every member folder, so any member's change changes it. */
export function encodeSyncToken(position: SyncPosition): string {
  const entries = Object.entries(position).sort(([a], [b]) => Number(a) - Number(b));
  return TOKEN_PREFIX + entries.map(([folderId, revision]) => `${folderId}-${revision}`).join('.');
}

/** undefined for the empty token (an initial sync); 403 DAV:valid-sync-token for anything we did not hand out. */
export function decodeSyncToken(token: string): SyncPosition | undefined {
  const trimmed = token.trim();
  if (trimmed === '') return undefined;
  const invalid = () => preconditionError(403, Condition.ValidSyncToken);
  if (!trimmed.startsWith(TOKEN_PREFIX)) throw invalid();
  const body = trimmed.slice(TOKEN_PREFIX.length);
  const position: SyncPosition = {};
  if (body === '') return position;
  for (const entry of body.split('.')) {
    const match = TOKEN_ENTRY.exec(entry);
    if (!match) throw invalid();
    position[match[1]] = Number(match[2]);
  }
  return position;
}
