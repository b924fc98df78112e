/**
 * A calendar user as scheduling sees one: the addresses that name it (its
 * calendar-user-address-set, RFC 6638 2.4.1), each normalised by calendarAddress.
 * Plain data, so it can cross the bus.
 */
export interface CalendarUser {
  /** The address this user's messages carry: the first one given. */
  readonly address: string;
  /** Every address of the user, `address` first. */
  readonly addresses: readonly string[];
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * A calendar user address as davmesh compares them (RFC 5545 CAL-ADDRESS is a URI):
 * - `mailto:` addresses, whatever the case of the scheme, are lowercased whole, local part
 *   included, as SabreDAV and the mail systems behind it do; RFC 5321 lets a local part be
 *   case-sensitive, no directory we serve makes two users of `Ann@` and `ann@`;
 * - a bare `user@host` (written by some clients) is a `mailto:` address;
 * - `urn:uuid:` addresses are lowercased (UUIDs are case-insensitive hex);
 * - any other URI (a principal URL) keeps its case but for the scheme.
 * Surrounding white space is dropped everywhere.
 */
export function calendarAddress(address: string): string {
  const trimmed = address.trim();
  const scheme = SCHEME.exec(trimmed)?.[1].toLowerCase();
  if (scheme === undefined) return trimmed.includes('@') ? `mailto:${trimmed.toLowerCase()}` : trimmed;
  const rest = trimmed.slice(scheme.length + 1);
  if (scheme === 'mailto') return `mailto:${rest.trim().toLowerCase()}`;
  if (scheme === 'urn' && /^uuid:/i.test(rest)) return `urn:${rest.toLowerCase()}`;
  return `${scheme}:${rest}`;
}

/** The calendar user with these addresses, normalised, duplicates dropped, the first one leading. */
export function calendarUserOf(address: string, ...otherAddresses: string[]): CalendarUser {
  const addresses = [...new Set([address, ...otherAddresses].map(calendarAddress))];
  return { address: addresses[0], addresses };
}

/** True when the address, in any spelling calendarAddress folds, is one of the user's. */
export function isAddressOf(user: CalendarUser, address: string): boolean {
  const normalised = calendarAddress(address);
  return user.addresses.some((own) => calendarAddress(own) === normalised);
}
