import { type SyncPosition } from '@davmesh/contracts';
import { dav, firstChild, type XmlElement, Condition } from '@davmesh/dav';
import { preconditionError } from '../http/reply-errors';
import { decodeSyncToken } from './sync-token';

/** Changes reported per answer; the services' change lists give at most this many. */
const SYNC_PAGE = 1000;
/**
 * Members an initial sync answers at once when the collection's member listing has them all: as
 * many as PROPFIND Depth 1 lists and the edge's member listings keep (MemberListingCache).
 */
export const INITIAL_SYNC_PAGE = 20_000;

/** What an RFC 6578 sync-collection body asks: from where (undefined: initial sync) and at most how many. */
export interface SyncRequest {
  since: SyncPosition | undefined;
  /** Changes per answer from a change list: `nresults`, at most SYNC_PAGE. */
  limit: number;
  /** An initial sync's members per answer from a member listing: `nresults`, at most INITIAL_SYNC_PAGE; absent for an incremental sync. */
  listingLimit?: number;
}

export function readSyncRequest(body: XmlElement): SyncRequest {
  const since = decodeSyncToken(firstChild(body, dav('sync-token'))?.text ?? '');
  const level = firstChild(body, dav('sync-level'))?.text.trim();
  if (level !== undefined && level !== '1') throw preconditionError(403, Condition.ValidSyncLevel);
  const nresults = firstChild(firstChild(body, dav('limit')) ?? body, dav('nresults'))?.text.trim();
  const asked = nresults && /^\d+$/.test(nresults) && Number(nresults) > 0 ? Number(nresults) : Infinity;
  return { since, limit: Math.min(asked, SYNC_PAGE), ...(since ? {} : { listingLimit: Math.min(asked, INITIAL_SYNC_PAGE) }) };
}

/**
 * An initial sync's members from the collection's member listing, as PROPFIND Depth 1 lists
 * them, when there are no more than `limit`; undefined when there are more (the change list then
 * pages through them). Reported with the token of the revision the request's folder listing
 * showed: the listing holds that state or a newer one, and a later sync from that token reports
 * whatever changed after it, so nothing is missed (RFC 6578 3.1 lets a change be reported twice).
 */
export async function initialSyncMembers<T>(listing: AsyncIterable<readonly T[]>, limit: number): Promise<T[] | undefined> {
  const members: T[] = [];
  for await (const page of listing) {
    if (members.length + page.length > limit) return undefined;
    members.push(...page);
  }
  return members;
}
