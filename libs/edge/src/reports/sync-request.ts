import { type SyncPosition } from '@davmesh/contracts';
import { dav, firstChild, type XmlElement, Condition } from '@davmesh/dav';
import { preconditionError } from '../http/reply-errors';
import { decodeSyncToken } from './sync-token';

/** What an RFC 6578 sync-collection body asks: from where (undefined: initial sync) and at most how many. */
export interface SyncRequest {
  since: SyncPosition | undefined;
  limit: number;
}

export function readSyncRequest(body: XmlElement, maxPage: number): SyncRequest {
  const since = decodeSyncToken(firstChild(body, dav('sync-token'))?.text ?? '');
  const level = firstChild(body, dav('sync-level'))?.text.trim();
  if (level !== undefined && level !== '1') throw preconditionError(403, Condition.ValidSyncLevel);
  const nresults = firstChild(firstChild(body, dav('limit')) ?? body, dav('nresults'))?.text.trim();
  const limit = nresults && /^\d+$/.test(nresults) && Number(nresults) > 0 ? Math.min(Number(nresults), maxPage) : maxPage;
  return { since, limit };
}
