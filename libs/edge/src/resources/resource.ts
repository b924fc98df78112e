/** What a request path names, decided once per request. */
export type Resource =
  | { kind: 'root'; path: string }
  | { kind: 'principal'; path: string; userId: number }
  | { kind: 'well-known'; path: string; service: 'caldav' | 'carddav' };

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
  const rest = stripPrefix(path, prefix) ?? (proxyPrefix ? stripPrefix(path, proxyPrefix) : undefined);
  if (rest === undefined) return undefined;
  if (rest === '' || rest === '/') return { kind: 'root', path: `${prefix}/` };
  const principal = /^\/principals\/users\/([1-9][0-9]{0,9})\/?$/.exec(rest);
  if (principal) return { kind: 'principal', path: principalPath(prefix, Number(principal[1])), userId: Number(principal[1]) };
  return undefined;
}

function stripPrefix(path: string, prefix: string): string | undefined {
  if (prefix === '') return path;
  if (path === prefix) return '';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : undefined;
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
