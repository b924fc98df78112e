/**
 * Where a user's principal is, and which calendar user addresses name it: the one definition the
 * edge (which serves principals and writes their hrefs) and the directory (which answers
 * config.v1.directory.users.find-by-address for scheduling) share. `prefix` is
 * com.openexchange.dav.prefixPath as configured ('/' or '/dav'; a trailing slash is ignored).
 */

/** User ids are PostgreSQL integers. */
export const MAX_USER_ID = 2_147_483_647;

/** The longest calendar user address the directory is asked about; an e-mail address (320) with `mailto:` and any principal URL fit. */
export const MAX_CALENDAR_ADDRESS_LENGTH = 512;

const PRINCIPAL = /^\/principals\/users\/([1-9][0-9]{0,9})\/?$/;
const ABSOLUTE = /^https?:\/\/[^/?#]*/i;

/** com.openexchange.dav.prefixPath as hrefs start with it: '' for '/', no trailing slash. */
export function hrefPrefix(prefixPath: string): string {
  return prefixPath.replace(/\/+$/, '');
}

/** `<prefix>/principals/users/<userId>/`. */
export function principalPath(prefix: string, userId: number): string {
  return `${hrefPrefix(prefix)}/principals/users/${userId}/`;
}

/** The user id of a principal's path below the prefix (`/principals/users/<id>/`, decoded; the trailing slash optional). */
export function principalUserIdIn(path: string): number | undefined {
  const userId = Number(PRINCIPAL.exec(path)?.[1]);
  return Number.isInteger(userId) && userId <= MAX_USER_ID ? userId : undefined;
}

/**
 * The user whose principal a calendar user address names, written as clients write it: an
 * absolute http(s) URL (its host not compared, as with every href a request carries: the server
 * has no one name behind proxies) or a path; under one of `prefixes` (prefixPath, proxyPrefixPath)
 * or under none (what a client routed by user agent sees); %-escapes decoded; the trailing slash
 * optional. Undefined for anything else, `mailto:` and `urn:` included.
 */
export function principalUserIdOf(address: string, prefixes: readonly string[]): number | undefined {
  const trimmed = address.trim();
  if (trimmed.length > MAX_CALENDAR_ADDRESS_LENGTH) return undefined;
  const withoutOrigin = trimmed.replace(ABSOLUTE, '');
  if (!withoutOrigin.startsWith('/')) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(withoutOrigin.replace(/[?#].*$/, '')).replace(/\/{2,}/g, '/');
  } catch {
    return undefined;
  }
  for (const prefix of [...new Set([...prefixes.map(hrefPrefix), ''])]) {
    const rest = prefix === '' ? path : path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : undefined;
    const userId = rest === undefined ? undefined : principalUserIdIn(rest);
    if (userId !== undefined) return userId;
  }
  return undefined;
}
