import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { CacheCounts, ChangeGeneration } from '@davmesh/caching';
import { ConfigResolve, DomainException, type ConfigChangedEvent, type EffectiveConfig } from '@davmesh/contracts';

interface Entry {
  config: EffectiveConfig;
  fetchedAt: number;
}

/** Bounds how stale a value can get if a change event is lost (core NATS is at most once). */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 50_000;

/**
 * Effective configuration of users, fetched with `config.v1.resolve` and kept until a
 * `config.v1.events.changed` that concerns them, with a newer revision, arrives.
 * The edge and every domain service use this one cache. A reply that was in flight while a
 * change arrived is answered but not kept: it may predate the change.
 */
@Injectable()
export class EffectiveConfigCache {
  private readonly entries = new Map<number, Entry>();
  private readonly generation = new ChangeGeneration();
  readonly counts = new CacheCounts();

  constructor(@Inject(BusClient) private readonly bus: BusClient) {}

  /** Throws a DomainException when the config service cannot answer. */
  async forUser(userId: number): Promise<EffectiveConfig> {
    const cached = this.entries.get(userId);
    const fresh = this.counts.lookup(cached && Date.now() - cached.fetchedAt < MAX_AGE_MS ? cached.config : undefined);
    if (fresh) return fresh;
    const askedAt = this.generation.mark();
    const reply = await this.bus.request(ConfigResolve, { userId });
    if (!reply.ok) throw new DomainException(reply.error.code, reply.error.message, reply.error.details);
    if (!this.generation.isCurrent(askedAt)) return reply.data;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(userId, { config: reply.data, fetchedAt: Date.now() });
    return reply.data;
  }

  /** Drops what the change may affect; entries fetched at or after its revision already include it. */
  onChanged(event: ConfigChangedEvent): void {
    this.generation.changed();
    for (const [userId, entry] of this.entries) {
      if (entry.config.revision >= event.revision) continue;
      const affected =
        event.scope === 'server' ||
        (event.scope === 'context' && entry.config.contextId === event.contextId) ||
        (event.scope === 'user' && userId === event.userId);
      if (affected && this.entries.delete(userId)) this.counts.invalidations++;
    }
  }

  clear(): void {
    this.generation.changed();
    this.counts.invalidations += this.entries.size;
    this.entries.clear();
  }
}
