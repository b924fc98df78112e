import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ConfigCacheNodeStarted, type CacheInvalidation, type CacheNode, type ConfigChangedEvent, type UserChangedEvent } from '@davmesh/contracts';
import { EffectiveConfigCache } from './effective-config.cache';

/**
 * Everything this node caches of configuration and the directory, behind one door: change
 * events and acknowledged invalidations (`config.v1.caches.invalidate`) both come here, so a
 * node acknowledges only once every cache has dropped what the change touched. The effective
 * config cache is registered by itself; other caches of the node (the edge's logins and server
 * settings) register theirs.
 */
@Injectable()
export class NodeCaches {
  readonly node: CacheNode = { nodeId: randomUUID(), host: hostname(), pid: process.pid };
  private readonly configListeners: ((event: ConfigChangedEvent) => void)[] = [];
  private readonly userListeners: ((event: UserChangedEvent) => void)[] = [];

  constructor(
    @Inject(EffectiveConfigCache) private readonly config: EffectiveConfigCache,
    @Inject(BusClient) private readonly bus: BusClient,
  ) {
    this.onConfigChange((event) => config.onChanged(event));
  }

  onConfigChange(listener: (event: ConfigChangedEvent) => void): void {
    this.configListeners.push(listener);
  }

  onUserChange(listener: (event: UserChangedEvent) => void): void {
    this.userListeners.push(listener);
  }

  apply(change: CacheInvalidation): void {
    if ('config' in change) for (const listener of this.configListeners) listener(change.config);
    else for (const listener of this.userListeners) listener(change.user);
  }

  /** After a reconnect: events may have been missed. */
  flush(): void {
    this.config.clear();
  }

  /** Once this node answers the caches' subjects: config writers wait for it from now on. */
  async announce(): Promise<void> {
    await this.bus.emit(ConfigCacheNodeStarted, this.node);
  }
}
