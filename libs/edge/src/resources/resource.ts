/** What a request path names, decided once per request. */
export type Resource =
  | { kind: 'root'; path: string }
  | { kind: 'principal'; path: string; userId: number }
  | { kind: 'well-known'; path: string; service: 'caldav' | 'carddav' }
  | { kind: 'addressbook-home'; path: string }
  /** A per-folder address book: the segment is a folder id or the slug its MKCOL chose. */
  | { kind: 'addressbook'; path: string; segment: string }
  | { kind: 'aggregated-addressbook'; path: string }
  | { kind: 'contact'; path: string; segment: string; name: string };

/** The aggregated address book's segment under the home. */
export const AGGREGATED_SEGMENT = 'Contacts';

export type ResourceKind = Resource['kind'];

export function resolveResource(rawPath: string, prefix: string): Resource | undefined {
  const path = normalisePath(rawPath);
  if (path === undefined) return undefined;
  const wellKnown = /^\/\.well-known\/(caldav|carddav)\/?$/.exec(path);
  if (wellKnown) return { kind: 'well-known', path, service: wellKnown[1] as 'caldav' | 'carddav' };
  if (path === '/' || path === `${prefix}/` || path === prefix) return { kind: 'root', path: path === '/' ? '/' : `${prefix}/` };
  if (!path.startsWith(`${prefix}/`)) return undefined;
  const rest = path.slice(prefix.length);
  const principal = /^\/principals\/users\/([1-9][0-9]{0,9})\/?$/.exec(rest);
  if (principal) return { kind: 'principal', path: principalPath(prefix, Number(principal[1])), userId: Number(principal[1]) };
  return resolveCarddav(rest, prefix);
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

export function principalPath(prefix: string, userId: number): string {
  return `${prefix}/principals/users/${userId}/`;
}

/** Decodes %-escapes and collapses duplicate slashes; refuses dot segments. */
function normalisePath(rawPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath.split('?')[0]);
  } catch {
    return undefined;
  }
  const collapsed = decoded.replace(/\/{2,}/g, '/');
  if (collapsed.split('/').some((segment) => segment === '.' || segment === '..')) return undefined;
  return collapsed.startsWith('/') ? collapsed : `/${collapsed}`;
}
