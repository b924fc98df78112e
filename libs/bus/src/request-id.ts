import { currentLogContext, isRequestId, withLogContext } from '@davmesh/logging';

/**
 * The header that carries the id of the HTTP request a bus request serves (the edge's
 * X-Request-Id), so the services' log lines for it carry the id the edge's access line has.
 */
export const REQUEST_ID_HEADER = 'Davmesh-Request-Id';

/** The id of the request being handled, to send along. */
export function outgoingRequestId(): string | undefined {
  return currentLogContext()?.requestId;
}

/** Runs a bus message's handler under the request id it came with; a malformed one is dropped. */
export function withRequestId<T>(id: string | undefined, handle: () => T): T {
  return withLogContext(isRequestId(id) ? { requestId: id } : undefined, handle);
}
