import { oncePerTurn } from '@davmesh/logging';
import { type NatsConnection } from 'nats';

/**
 * nats.js writes what was published in a microtask after the publish, so each request that an
 * HTTP request or a bus message causes costs a socket write of its own, and on small VMs a write
 * is dear (about 0.28 ms on the Firecracker machine of docs/benchmarks.md). Deferring that
 * write to the end of the event loop's turn (`setImmediate`) lets everything published while
 * handling one batch of ready sockets leave in one write. Nothing waits longer than the turn.
 * Returns false, changing nothing, when the nats.js in use is not shaped as expected.
 */
export function flushOncePerTurn(connection: NatsConnection): boolean {
  const protocol = (connection as unknown as { protocol?: { flushPending?: () => void } }).protocol;
  if (typeof protocol?.flushPending !== 'function') return false;
  protocol.flushPending = oncePerTurn(protocol.flushPending.bind(protocol));
  return true;
}
