import { type Logger } from '@davmesh/logging';
import { type Outbox } from './outbox';
import { WRITE_OUTCOME_KEEP_MS } from './write-outcomes';

/** How long a relay holds the rows it took; a replica that dies mid-pass frees them after it. */
const LEASE_MS = 30_000;
/** Per event: a bus that does not confirm in this time is taken as down until the next pass. */
const PUBLISH_TIMEOUT_MS = 1000;
const EXPIRE_OUTCOMES_EVERY_MS = 60_000;

/**
 * Publishes, every `relayIntervalMs`, the events older than `relayAfterMs` still in the outbox:
 * those whose writer could not publish them (the bus was down, the process died after the
 * commit). Every replica runs one; they share the table through leases. A published event is
 * deleted; one the bus did not take waits for the next pass.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private pass?: Promise<number>;
  private stopped = true;
  /** The last pass left events behind: said once, and once again when they are out. */
  private blocked = false;
  private nextExpiry = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly logger: Logger,
  ) {}

  /** Nothing to do for an outbox that stores nothing (the in-process bus). */
  start(): void {
    if (!this.outbox.options.durable) return;
    this.stopped = false;
    this.schedule(this.outbox.options.relayIntervalMs);
  }

  /** Stops after the pass under way; what is left waits in the table for any replica. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
    await this.outbox.settled();
  }

  /** One pass: answers how many events it published. */
  relayOnce(): Promise<number> {
    this.pass ??= this.relay().finally(() => (this.pass = undefined));
    return this.pass;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.relayOnce().then((published) => this.schedule(published === this.outbox.options.relayBatch ? 0 : this.outbox.options.relayIntervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async relay(): Promise<number> {
    await this.expireOutcomes();
    const { store, publisher, options } = this.outbox;
    let due;
    try {
      due = await store.claimDue(options.relayAfterMs, LEASE_MS, options.relayBatch);
    } catch (error) {
      this.report(true, { err: error }, 'the outbox cannot be read; its events wait');
      return 0;
    }
    if (due.length === 0) {
      if (this.blocked) this.report(false, {}, 'the outbox is empty again');
      return 0;
    }
    let published = 0;
    for (const event of due) {
      if ((await publisher.publish([event], Date.now() + PUBLISH_TIMEOUT_MS)) === 0) break;
      published++;
    }
    try {
      await store.delete(due.slice(0, published).map((e) => e.id));
      await store.release(due.slice(published).map((e) => e.id));
    } catch (error) {
      // Rows not deleted are published again later; a lease not released runs out.
      this.logger.debug({ err: error }, 'outbox rows not updated after a relay pass');
    }
    if (published < due.length) {
      this.report(true, { waiting: due.length - published, subject: due[published].subject }, 'the bus does not take events; they wait in the outbox');
    } else {
      this.report(false, { relayed: published }, this.blocked ? 'the bus takes events again: the outbox relayed those that waited' : 'the outbox relayed events the writers did not publish');
    }
    return published;
  }

  /** At most once a minute, on any replica: outcomes past every caller's tries go. */
  private async expireOutcomes(): Promise<void> {
    if (Date.now() < this.nextExpiry) return;
    this.nextExpiry = Date.now() + EXPIRE_OUTCOMES_EVERY_MS;
    try {
      await this.outbox.outcomes.expire(this.outbox.dataSource, WRITE_OUTCOME_KEEP_MS);
    } catch (error) {
      this.logger.debug({ err: error }, 'old write outcomes not deleted; the next pass tries again');
    }
  }

  private report(blocked: boolean, details: object, message: string): void {
    if (blocked && !this.blocked) this.logger.warn(details, message);
    else if (!blocked && this.blocked) this.logger.info(details, message);
    else this.logger.debug(details, message);
    this.blocked = blocked;
  }
}
