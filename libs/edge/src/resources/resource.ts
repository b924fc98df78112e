import { NOTIFICATIONS_SEGMENT, principalPath, principalUserIdIn, SCHEDULE_INBOX_SEGMENT, SCHEDULE_OUTBOX_SEGMENT } from '@davmesh/contracts';

// The principal layout is libs/contracts' (the directory resolves principal URLs by it too).
export { principalPath };

/** What a request path names, decided once per request. */
export type Resource =
  | { kind: 'root'; path: string }
  | { kind: 'principal'; path: string; userId: number }
  /** DAV:principal-collection-set (`/principals/`) and the users' collection under it; neither lists the directory. */
  | { kind: 'principal-collection'; path: string; level: 'principals' | 'users' }
  | { kind: 'well-known'; path: string; service: 'caldav' | 'carddav' }
  | { kind: 'addressbook-home'; path: string }
  /** A per-folder address book: the segment is a folder id or the slug its MKCOL chose. */
  | { kind: 'addressbook'; path: string; segment: string }
  | { kind: 'aggregated-addressbook'; path: string }
  | { kind: 'contact'; path: string; segment: string; name: string }
  | { kind: 'calendar-home'; path: string }
  /** A calendar collection: the segment is its folder's collectionName (folder id, or the MKCALENDAR name). */
  | { kind: 'calendar'; path: string; segment: string }
  /** RFC 6638 2.2: the user's schedule inbox, `/caldav/inbox/`; its messages are calendar objects of segment `inbox`. */
  | { kind: 'schedule-inbox'; path: string; segment: typeof SCHEDULE_INBOX_SEGMENT }
  /** RFC 6638 2.1: the user's schedule outbox, `/caldav/outbox/`: no members, POST only. */
  | { kind: 'schedule-outbox'; path: string }
  | { kind: 'calendar-object'; path: string; segment: string; name: string }
  /** calendarserver-sharing's notification collection, `/caldav/notifications/`: the user's invitations and replies. */
  | { kind: 'notifications'; path: string }
  /** One notification in it, an XML document. */
  | { kind: 'notification'; path: string; name: string };

/** The aggregated address book's segment under the home. */
export const AGGREGATED_SEGMENT = 'Contacts';

export type ResourceKind = Resource['kind'];

/**
 * `prefix` is com.openexchange.dav.prefixPath ('' for /); a request may also arrive
 * under `proxyPrefix` (com.openexchange.dav.proxyPrefixPath), where a reverse proxy
 * forwards it: it is answered as if it came under the prefix.
 */
export function resolveResource(rawPath: string, prefix: string, proxyPrefix?: string): Resource | undefined {
  const path = normalisePath(rawPath);
  if (path === undefined) return undefined;
  const wellKnown = /^\/\.well-known\/(caldav|carddav)\/?$/.exec(path);
  if (wellKnown) return { kind: 'well-known', path, service: wellKnown[1] as 'caldav' | 'carddav' };
  if (path === '/') return { kind: 'root', path: '/' };
  // The longer first: with prefix / every path is under it, /dav/caldav/ from a proxy included.
  const [first, second] = proxyPrefix && proxyPrefix.length > prefix.length ? [proxyPrefix, prefix] : [prefix, proxyPrefix];
  const rest = stripPrefix(path, first) ?? (second !== undefined ? stripPrefix(path, second) : undefined);
  if (rest === undefined) return undefined;
  if (rest === '' || rest === '/') return { kind: 'root', path: `${prefix}/` };
  const collection = /^\/principals(\/users)?\/?$/.exec(rest);
  if (collection) return principalCollection(prefix, collection[1] ? 'users' : 'principals');
  const principal = principalUserIdIn(rest);
  if (principal !== undefined) return { kind: 'principal', path: principalPath(prefix, principal), userId: principal };
  return resolveCarddav(rest, prefix) ?? resolveCaldav(rest, prefix);
}

function resolveCaldav(rest: string, prefix: string): Resource | undefined {
  const home = `${prefix}/caldav/`;
  if (/^\/caldav\/?$/.test(rest)) return { kind: 'calendar-home', path: home };
  const collection = /^\/caldav\/([^/]+)\/?$/.exec(rest);
  if (collection?.[1] === SCHEDULE_INBOX_SEGMENT) return { kind: 'schedule-inbox', path: `${home}${SCHEDULE_INBOX_SEGMENT}/`, segment: SCHEDULE_INBOX_SEGMENT };
  if (collection?.[1] === SCHEDULE_OUTBOX_SEGMENT) return { kind: 'schedule-outbox', path: `${home}${SCHEDULE_OUTBOX_SEGMENT}/` };
  if (collection?.[1] === NOTIFICATIONS_SEGMENT) return { kind: 'notifications', path: `${home}${NOTIFICATIONS_SEGMENT}/` };
  if (collection) return { kind: 'calendar', path: `${home}${collection[1]}/`, segment: collection[1] };
  const object = /^\/caldav\/([^/]+)\/([^/]+)$/.exec(rest);
  if (object?.[1] === NOTIFICATIONS_SEGMENT) return { kind: 'notification', path: `${home}${NOTIFICATIONS_SEGMENT}/${object[2]}`, name: object[2] };
  if (object) return { kind: 'calendar-object', path: `${home}${object[1]}/${object[2]}`, segment: object[1], name: object[2] };
  return undefined;
}

function resolveCarddav(rest: string, prefix: string): Resource | undefined {
  const home = `${prefix}/carddav/`;
  if (/^\/carddav\/?$/.test(rest)) return { kind: 'addressbook-home', path: home };
  const collection = /^\/carddav\/([^/]+)\/?$/.exec(rest);
  if (collection) {
    const segment = collection[1];
    if (segment === AGGREGATED_SEGMENT) return { kind: 'aggregated-addressbook', path: `${home}${segment}/` };
    return { kind: 'addressbook', path: `${home}${segment}/`, segment };
  }
  const object = /^\/carddav\/([^/]+)\/([^/]+)$/.exec(rest);
  if (object) return { kind: 'contact', path: `${home}${object[1]}/${object[2]}`, segment: object[1], name: object[2] };
  return undefined;
}

function stripPrefix(path: string, prefix: string): string | undefined {
  if (prefix === '') return path;
  if (path === prefix) return '';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : undefined;
}

export function principalCollection(prefix: string, level: 'principals' | 'users'): Resource {
  return { kind: 'principal-collection', path: level === 'users' ? `${prefix}/principals/users/` : `${prefix}/principals/`, level };
}

/**
 * The one member a user sees of a principal collection: the users' collection under the
 * principal collection, their own principal under that.
 */
export function principalCollectionMember(collection: Extract<Resource, { kind: 'principal-collection' }>, prefix: string, userId: number): Resource {
  if (collection.level === 'principals') return principalCollection(prefix, 'users');
  return { kind: 'principal', path: principalPath(prefix, userId), userId };
}

/** C0 controls and DEL: no resource name holds one (PostgreSQL cannot even store NUL). */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Decodes %-escapes and collapses duplicate slashes; refuses dot segments and control characters. */
function normalisePath(rawPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath.split('?')[0]);
  } catch {
    return undefined;
  }
  if (CONTROL_CHARACTER.test(decoded)) return undefined;
  const collapsed = decoded.replace(/\/{2,}/g, '/');
  if (collapsed.split('/').some((segment) => segment === '.' || segment === '..')) return undefined;
  return collapsed.startsWith('/') ? collapsed : `/${collapsed}`;
}
