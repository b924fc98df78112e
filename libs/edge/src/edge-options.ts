export interface EdgeOptions {
  /** Basic auth realm shown by clients. */
  realm: string;
  /** How long a successful login is remembered on this node. */
  authCacheTtlMs: number;
  /**
   * "Now" for the CalDAV sync window (com.openexchange.caldav.interval.start/.end). For tests and
   * embedding that need a server as of another date (the RFC 4791 examples live in 2006).
   */
  clock: () => Date;
}

export const EDGE_OPTIONS = Symbol('EDGE_OPTIONS');

export const DEFAULT_EDGE_OPTIONS: EdgeOptions = {
  realm: 'davmesh',
  authCacheTtlMs: 30_000,
  clock: () => new Date(),
};
