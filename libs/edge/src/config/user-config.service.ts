import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ConfigResolve, type ConfigChangedEvent, type EffectiveConfig, type User } from '@davmesh/contracts';
import { DavHttpError } from '../http/dav-exchange';
import { STATUS_FOR_ERROR } from '../http/error-status';

interface Entry {
  config: EffectiveConfig;
  fetchedAt: number;
}

/** Bounds how stale a value can get if a change event is lost (core NATS is at most once). */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 50_000;

/**
 * The effective configuration of the users this edge node serves, cached until a
 * `config.v1.events.changed` says otherwise.
 */
@Injectable()
export class UserConfigService {
  private readonly entries = new Map<number, Entry>();

  constructor(@Inject(BusClient) private readonly bus: BusClient) {}

  async forUser(user: User): Promise<EffectiveConfig> {
    const cached = this.entries.get(user.userId);
    if (cached && Date.now() - cached.fetchedAt < MAX_AGE_MS) return cached.config;
    const reply = await this.bus.request(ConfigResolve, { userId: user.userId });
    if (!reply.ok) throw new DavHttpError(STATUS_FOR_ERROR[reply.error.code], reply.error.message);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(user.userId, { config: reply.data, fetchedAt: Date.now() });
    return reply.data;
  }

  /** Drops what the change may affect; entries fetched at or after its revision already include it. */
  onChanged(event: ConfigChangedEvent): void {
    for (const [userId, entry] of this.entries) {
      if (entry.config.revision >= event.revision) continue;
      const affected =
        event.scope === 'server' ||
        (event.scope === 'context' && entry.config.contextId === event.contextId) ||
        (event.scope === 'user' && userId === event.userId);
      if (affected) this.entries.delete(userId);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
