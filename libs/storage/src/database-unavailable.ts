import { type KnownFailure } from '@davmesh/bus';

/** Socket errors of a connection to the database server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * SQLSTATEs of a server that is going away, coming up or full: class 08 (connection exception),
 * 57P01 admin_shutdown (what `pg_ctl restart` tells open sessions), 57P02 crash_shutdown,
 * 57P03 cannot_connect_now (starting up, shutting down, in recovery), 53300 too_many_connections.
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;

/** What node-postgres and its pool say when a connection dies or cannot be had, without a code. */
const CONNECTION_MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /is not queryable/i,
  /Cannot use a pool after calling end on the pool/i,
];

/**
 * Whether a failure means the database cannot be reached now (a restart, a network cut, a
 * full server) rather than a bug: the request is answered `unavailable` and may be retried.
 * Looks through TypeORM's QueryFailedError (`driverError`) and `cause` chains.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code))) return true;
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return true;
    const inner = current as { driverError?: unknown; cause?: unknown };
    current = inner.driverError ?? inner.cause;
  }
  return false;
}

/** The failure classifier the storage module registers with the bus handlers. */
export function classifyDatabaseFailure(error: unknown): KnownFailure | undefined {
  if (!isDatabaseUnavailable(error)) return undefined;
  return { outage: 'database unavailable', error: { code: 'unavailable', message: 'the database is unavailable; try again shortly' } };
}
