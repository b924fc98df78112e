import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The NATS header that names one write across its tries. A caller that got no answer cannot
 * tell a write that never arrived from one committed whose reply was lost; it asks again under
 * the same key, and the service answers a key it has stored with the first reply (see
 * `WriteOutcomes` in libs/storage) instead of doing the write twice.
 */
export const WRITE_KEY_HEADER = 'Davmesh-Write-Key';

interface KeyedRequest {
  key: string;
  taken: boolean;
}

const current = new AsyncLocalStorage<KeyedRequest>();

/** What a caller may send as a key (ours send UUIDs); anything else is ignored. */
const WRITE_KEY = /^[A-Za-z0-9_-]{8,64}$/;

/** Runs a request's handler with its write key (when the caller sent one) in reach of `takeWriteKey`. */
export function withWriteKey<T>(key: string | undefined, handle: () => T): T {
  return key && WRITE_KEY.test(key) ? current.run({ key, taken: false }, handle) : handle();
}

/**
 * The write key of the request being handled, to the first transaction that asks: a request's
 * outcome is its first write's, and a second transaction of the same request must not answer
 * the first one's result.
 */
export function takeWriteKey(): string | undefined {
  const request = current.getStore();
  if (!request || request.taken) return undefined;
  request.taken = true;
  return request.key;
}

/**
 * Gives the key back after the transaction that took it rolled back: nothing was stored under
 * it, so the request's next transaction (a write asked again after looking up what it needs
 * outside any transaction, or after a deadlock) claims it and stores its outcome.
 */
export function returnWriteKey(key: string): void {
  const request = current.getStore();
  if (request?.key === key) request.taken = false;
}
