import { type EffectiveConfig, type User } from '@davmesh/contracts';
import { type UserListingCache } from '../caches/user-listing-cache';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { type PropertyContext } from '../properties/property';
import { type Resource } from './resource';

/** What one protocol shows one user on one request. */
export interface DavScope<V> {
  user: User;
  config: EffectiveConfig;
  /** com.openexchange.dav.prefixPath as hrefs are written for this request. */
  prefix: string;
  homeHref: string;
  /** A collection by its path segment; undefined when this user has none of that name. */
  find(segment: string): V | undefined;
  /** The href of an object of a folder as this scope shows it, for no-uid-conflict. */
  hrefOf(folderId: number, name: string): string | undefined;
  /** Built from folders listed by this request, not from the node's cache: their revisions are current. */
  listedAfresh?: true;
}

/** What the property context of any resource in a scope holds: the user sees their own. */
export function contextIn(scope: DavScope<unknown>, resource: Resource): PropertyContext {
  return { currentUser: scope.user, subjectUser: scope.user, resource, prefix: scope.prefix, config: scope.config };
}

/**
 * A scope built from the user's folders as this node's cache holds them, when `reuse` is given and
 * the scope shows every segment named there; else from the folders listed afresh. Only requests
 * whose answer shows no revision (getctag, sync-token) may reuse: the service checks access again.
 */
export async function scopeFromListing<F, S extends DavScope<unknown>>(
  cache: UserListingCache<F>,
  userId: number,
  reuse: string[] | undefined,
  list: () => Promise<F[]>,
  build: (folders: F[]) => S,
): Promise<S> {
  const cached = reuse && cache.get(userId);
  if (cached) {
    const scope = build(cached);
    if (reuse.every((segment) => scope.find(segment))) return scope;
  }
  const listedAt = cache.mark();
  const folders = await list();
  cache.put(userId, folders, listedAt);
  return { ...build(folders), listedAfresh: true };
}

/** `find` and `hrefOf` over the collections a scope shows; `holds` says whether one shows a folder's objects. */
export function collectionLookup<V extends { segment: string; href: string }>(
  collections: V[],
  holds: (collection: V, folderId: number) => boolean,
): Pick<DavScope<V>, 'find' | 'hrefOf'> {
  const bySegment = new Map(collections.map((c) => [c.segment, c]));
  return {
    find: (segment) => bySegment.get(segment),
    hrefOf: (folderId, name) => {
      const collection = collections.find((c) => holds(c, folderId));
      return collection ? `${collection.href}${name}` : undefined;
    },
  };
}

/** Opens a protocol's scope for a request and finds the collection a path names in it. */
export abstract class DavResources<V, S extends DavScope<V>> {
  /** The 404's text when the collection does not exist. */
  protected abstract readonly missing: string;
  /** The collection segment of a resource of this protocol; undefined for any other. */
  protected abstract segmentOf(resource: Resource): string | undefined;
  /** The user's scope (403 when the protocol is disabled); without `reuse`, every collection listed afresh: for answers that show revisions. */
  abstract open(exchange: DavExchange, reuse?: string[]): Promise<S>;

  /**
   * The scope for a request on the collections of `resources` (the request's own by default),
   * from this node's folder cache when it knows them: the answer shows no revision.
   */
  openFor(exchange: DavExchange, resources: Resource[] = [exchange.resource]): Promise<S> {
    const segments = resources.map((r) => this.segmentOf(r));
    return this.open(exchange, segments.every((s) => s !== undefined) ? (segments as string[]) : undefined);
  }

  /** The collection a resource is, or is in; 404 when this user has none of that name. */
  collection(scope: S, resource: Resource): V {
    const segment = this.segmentOf(resource);
    const view = segment === undefined ? undefined : scope.find(segment);
    if (!view) throw new DavHttpError(404, this.missing);
    return view;
  }
}
