import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ConfigCachesInvalidate, ConfigCachesPresent, type CacheInvalidation, type CacheNode } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { CacheLeases } from './cache-leases';

const ROLL_CALL_EVERY_MS = 2_000;
const ROLL_CALL_WINDOW_MS = 500;
/** How long a write waits for the acknowledgements of live nodes before it answers anyway. */
export const ACKNOWLEDGE_WAIT_MS = 2_000;

/**
 * Makes a committed configuration or directory change take effect everywhere before the write
 * answers: every caching node (edges, calendar replicas) is asked to drop what the change
 * touched, and the write waits for the acknowledgement of each node that is live — that
 * answered one of the roll-calls this replica holds every 2 s, or announced its start, within
 * the last 6 s. A node that does not answer within 2 s is logged, and the write answers anyway:
 * the change event still reaches that node, only later.
 */
@Injectable()
export class CacheInvalidator implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly leases = new CacheLeases();
  private timer?: NodeJS.Timeout;
  private firstRollCall: Promise<void> = Promise.resolve();

  constructor(
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.firstRollCall = this.rollCall();
    this.timer = setInterval(() => void this.rollCall(), ROLL_CALL_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Call after the change is committed; resolves when the live nodes acknowledged it, or after 2 s. */
  async invalidate(change: CacheInvalidation): Promise<void> {
    await this.firstRollCall;
    const expected = this.leases.live();
    const acknowledged = (acks: CacheNode[]) => expected.every((node) => acks.some((ack) => ack.nodeId === node.nodeId));
    const acks = await this.bus.gather(ConfigCachesInvalidate, change, { maxWaitMs: ACKNOWLEDGE_WAIT_MS, enough: acknowledged });
    for (const node of acks) this.leases.renew(node);
    const missing = expected.filter((node) => !acks.some((ack) => ack.nodeId === node.nodeId));
    if (missing.length > 0) {
      this.logger.warn(
        { change, missing, acknowledged: acks.length, waitedMs: ACKNOWLEDGE_WAIT_MS },
        'caching nodes did not acknowledge an invalidation in time: answering anyway, they follow the change event',
      );
    }
  }

  private async rollCall(): Promise<void> {
    for (const node of await this.bus.gather(ConfigCachesPresent, {}, { maxWaitMs: ROLL_CALL_WINDOW_MS })) this.leases.renew(node);
  }
}
