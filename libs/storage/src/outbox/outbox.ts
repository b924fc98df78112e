import { returnWriteKey, takeWriteKey, type BusClient } from '@davmesh/bus';
import { type EventContract } from '@davmesh/contracts';
import { type Logger } from '@davmesh/logging';
import { type DataSource, type EntityManager } from 'typeorm';
import { OutboxPublisher } from './outbox-publisher';
import { OutboxStore, type OutboxEvent } from './outbox-store';
import { WriteOutcomes } from './write-outcomes';

/** Records an event to publish when, and only if, the transaction commits. */
export type Announce = <P>(contract: EventContract<P>, payload: P) => void;

export interface OutboxOptions {
  /** The service's PostgreSQL schema, which holds its `outbox` table. */
  schema: string;
  /** How long a write waits after its commit for its events to be on the bus (default 250 ms). */
  publishWithinMs?: number;
  /** How often the relay looks for events the write did not get out (default 1 s). */
  relayIntervalMs?: number;
  /** Age at which the relay takes an event over from its writer (default 2 s). */
  relayAfterMs?: number;
  /** Events the relay takes per pass (default 100). */
  relayBatch?: number;
  /**
   * Store events before publishing them (default). Off for the in-process bus, where a publish
   * cannot fail and every listener lives and dies with this process: there the table would
   * cost every write a statement and save nothing.
   */
  durable?: boolean;
}

export const OUTBOX_DEFAULTS = { publishWithinMs: 250, relayIntervalMs: 1000, relayAfterMs: 2000, relayBatch: 100, durable: true } as const;

/**
 * A transactional outbox: a write's events are stored in the write's own transaction, so a
 * committed change is always announced and an announced change was always committed. After the
 * commit the events are published at once, for at most `publishWithinMs`; a write never fails
 * because the bus did not take them. What is left, the relay (OutboxRelay) publishes.
 */
export class Outbox {
  readonly store: OutboxStore;
  readonly outcomes: WriteOutcomes;
  readonly publisher: OutboxPublisher;
  readonly options: Required<OutboxOptions>;
  private readonly deletions: Deletions;

  constructor(
    readonly dataSource: DataSource,
    bus: BusClient,
    private readonly logger: Logger,
    options: OutboxOptions,
  ) {
    this.options = { ...OUTBOX_DEFAULTS, ...options };
    this.store = new OutboxStore(dataSource, options.schema);
    this.outcomes = new WriteOutcomes(options.schema);
    this.publisher = new OutboxPublisher(bus);
    this.deletions = new Deletions(this.store, logger);
  }

  /**
   * Runs `work` in one transaction; what it announces is stored in that transaction (when
   * durable). Resolves with `work`'s result once committed and the events published or handed
   * to the relay. A request that came with a write key (over NATS) stores its result under the
   * key in the same transaction; the same key again answers that result without running
   * `work`, so a caller asking again after a lost reply never has its write done twice.
   */
  async transaction<T>(work: (db: EntityManager, announce: Announce) => Promise<T>): Promise<T> {
    const key = this.options.durable ? takeWriteKey() : undefined;
    if (!key) return this.run(work);
    let replayed = false;
    const result = await this.run(
      async (db, announce) => {
        const claimed = await this.outcomes.claim(db, key);
        if (claimed.stored) {
          replayed = true;
          return claimed.result as T;
        }
        return work(db, announce);
      },
      () => (replayed ? undefined : key),
    ).catch((error: unknown) => {
      // Rolled back: the claim with it, so a later transaction of the same request may take the key.
      returnWriteKey(key);
      throw error;
    });
    if (replayed) this.logger.info({ writeKey: key }, 'a write asked again was answered with its stored outcome');
    return result;
  }

  /** `work` in a transaction, its events stored at the end, with its outcome under the key `outcomeKey` answers (if any). */
  private async run<T>(work: (db: EntityManager, announce: Announce) => Promise<T>, outcomeKey: () => string | undefined = () => undefined): Promise<T> {
    const events: OutboxEvent[] = [];
    let open = true;
    const announce: Announce = (contract, payload) => {
      if (!open) throw new Error(`${contract.subject} announced after its transaction ended`);
      events.push({ subject: contract.subject, payload });
    };
    let ids: string[] = [];
    const result = await this.dataSource
      .transaction(async (db) => {
        const value = await work(db, announce);
        open = false;
        const key = outcomeKey();
        if (events.length > 0 && this.options.durable) {
          ids = await this.store.insert(db, events, key === undefined ? undefined : (first) => this.outcomes.recording(key, value, first));
        } else if (key !== undefined) {
          await this.outcomes.record(db, key, value);
        }
        return value;
      })
      .finally(() => (open = false));
    if (events.length > 0) await this.publishNow(events, ids);
    return result;
  }

  /** Waits for the deletions of published events under way. */
  async settled(): Promise<void> {
    await this.deletions.settled();
  }

  private async publishNow(events: OutboxEvent[], ids: string[]): Promise<void> {
    const published = await this.publisher.publish(events, Date.now() + this.options.publishWithinMs);
    if (!this.options.durable) return;
    if (published < events.length) {
      this.logger.debug({ subject: events[published].subject, waiting: events.length - published }, 'event left to the outbox relay');
    }
    this.deletions.add(ids.slice(0, published));
  }
}

/** Published rows wait this long to be deleted together: one statement for many writes. */
const DELETE_AFTER_MS = 100;

/**
 * Deletes published rows off the request's path, many per statement. A deletion that fails
 * leaves its rows to the relay, which publishes them again.
 */
class Deletions {
  private queued: string[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly store: OutboxStore,
    private readonly logger: Logger,
  ) {}

  add(ids: string[]): void {
    if (ids.length === 0) return;
    this.queued.push(...ids);
    if (this.timer || this.running) return;
    this.timer = setTimeout(() => this.start(), DELETE_AFTER_MS);
    this.timer.unref();
  }

  /** Deletes what is queued now, and waits for it. */
  async settled(): Promise<void> {
    if (this.queued.length > 0) this.start();
    while (this.running) await this.running;
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running ??= this.run();
  }

  private async run(): Promise<void> {
    while (this.queued.length > 0) {
      const batch = this.queued;
      this.queued = [];
      try {
        await this.store.delete(batch);
      } catch (error) {
        this.logger.debug({ err: error, events: batch.length }, 'published events stay in the outbox; the relay will publish them again');
      }
    }
    this.running = undefined;
  }
}
