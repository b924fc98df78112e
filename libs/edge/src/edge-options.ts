export interface EdgeOptions {
  /** Basic auth realm shown by clients. */
  realm: string;
  /** Largest XML request body accepted, in bytes. */
  maxXmlBytes: number;
  /** How long a successful login is remembered on this node. */
  authCacheTtlMs: number;
}

export const EDGE_OPTIONS = Symbol('EDGE_OPTIONS');

export const DEFAULT_EDGE_OPTIONS: EdgeOptions = {
  realm: 'davmesh',
  maxXmlBytes: 1024 * 1024,
  authCacheTtlMs: 30_000,
};
