import { type BusClient } from '@davmesh/bus';
import { defineEvent, type EventContract } from '@davmesh/contracts';
import { z } from 'zod';
import { type OutboxEvent } from './outbox-store';

/**
 * Publishes stored events in their order, each confirmed by the bus (a flush) before the next,
 * until one fails or the deadline passes: answers how many went out. Never throws. An event
 * that timed out may still reach the bus later; it stays in the outbox and is published again,
 * which consumers tolerate (events are at least once).
 */
export class OutboxPublisher {
  private readonly contracts = new Map<string, EventContract<unknown>>();

  constructor(private readonly bus: BusClient) {}

  async publish(events: OutboxEvent[], deadline: number): Promise<number> {
    let published = 0;
    for (const event of events) {
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.publishOne(event, left))) break;
      published++;
    }
    return published;
  }

  private async publishOne(event: OutboxEvent, timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      const sent = this.bus.emit(this.contractOf(event.subject), event.payload).then(() => true as const);
      return await Promise.race([sent, expired]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Any subject the table names, including one a newer replica wrote during a rolling upgrade. */
  private contractOf(subject: string): EventContract<unknown> {
    let contract = this.contracts.get(subject);
    if (!contract) {
      contract = defineEvent(subject, z.unknown());
      this.contracts.set(subject, contract);
    }
    return contract;
  }
}
