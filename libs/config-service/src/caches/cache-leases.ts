import { type CacheNode } from '@davmesh/contracts';

/** A node counts as live this long after it last said so (a roll-call answer, an acknowledgement, its start). */
export const LEASE_MS = 6_000;
const MAX_NODES = 10_000;

/** The caching nodes this config replica knows to be live. */
export class CacheLeases {
  private readonly seen = new Map<string, { node: CacheNode; seenAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  renew(node: CacheNode): void {
    this.seen.delete(node.nodeId);
    if (this.seen.size >= MAX_NODES) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(node.nodeId, { node, seenAt: this.now() });
  }

  live(): CacheNode[] {
    const since = this.now() - LEASE_MS;
    for (const [nodeId, lease] of this.seen) if (lease.seenAt < since) this.seen.delete(nodeId);
    return [...this.seen.values()].map((lease) => lease.node);
  }
}
