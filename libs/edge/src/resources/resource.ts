/** What a request path names, decided once per request. */
export type Resource =
  | { kind: 'root'; path: string }
  | { kind: 'principal'; path: string; userId: number }
  | { kind: 'well-known'; path: string; service: 'caldav' | 'carddav' };

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
