import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Announce } from '@davmesh/storage';
import {
  DomainException,
  emailOfCalendarAddress,
  type ImipEnqueued,
  type ImipMessageStatus,
  type ImipOutgoingMessage,
} from '@davmesh/contracts';
import { InvalidCalendarObject } from '@davmesh/ical';
import { calendarAddress } from '@davmesh/itip';
import { type CalendarTransaction } from '../calendar.unit-of-work';
import { checkItipMessage } from './imip-mail';

/**
 * The outgoing iMIP queue's door: `enqueue(tx, message)` inside a write's unit of work, so the
 * write and its mail commit together (or neither). The sender (ImipSender) takes it from there.
 */
@Injectable()
export class ImipQueue {
  /**
   * Refuses (`bad-request`) a message that is not an iTIP message of its method or whose sender
   * is no e-mail address: the caller's mistake. A recipient that is no e-mail address (an
   * `urn:uuid:`, a typo) is the data's: the message is kept as `refused`, 3.7, and never sent.
   */
  async enqueue(tx: Pick<CalendarTransaction, 'imip'>, message: ImipOutgoingMessage): Promise<ImipEnqueued> {
    const from = emailOfCalendarAddress(message.from);
    if (!from) throw new DomainException('bad-request', `the sender "${message.from}" is not an e-mail address`);
    try {
      checkItipMessage(message.ical, message.method);
    } catch (error) {
      if (error instanceof InvalidCalendarObject) throw new DomainException('bad-request', `not an iTIP ${message.method}: ${error.message}`);
      throw error;
    }
    const to = emailOfCalendarAddress(message.to);
    const queued = {
      from,
      method: message.method,
      ical: message.ical,
      messageId: `<${randomUUID()}@${from.split('@')[1]}>`,
      // Compared with the addresses of the copy and of later messages as libs/itip folds them.
      reference: message.reference && { ...message.reference, recipient: calendarAddress(message.reference.recipient) },
    };
    if (!to) {
      const messageId = await tx.imip.insert({ ...queued, to: message.to, state: 'refused', scheduleStatus: '3.7', lastResponse: 'not an e-mail address' });
      return { messageId, state: 'refused', scheduleStatus: '3.7' };
    }
    const messageId = await tx.imip.insert({ ...queued, to, state: 'queued', scheduleStatus: '1.0' });
    return { messageId, state: 'queued', scheduleStatus: '1.0' };
  }
}

/**
 * Called with every attempt the sender records, inside the transaction that records it: a
 * listener that writes SCHEDULE-STATUS through `tx` commits with the attempt. It must not ask
 * the bus (a transaction never waits on a request). A listener that throws is logged and the
 * attempt recorded without the listeners.
 */
export type ImipOutcomeListener = (tx: CalendarTransaction, status: ImipMessageStatus, announce: Announce) => Promise<void>;

/** Where the scheduling wiring hears what became of its messages. */
@Injectable()
export class ImipOutcomes {
  private readonly listeners: ImipOutcomeListener[] = [];

  /** Answers a function that removes the listener again. */
  onOutcome(listener: ImipOutcomeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  get listening(): boolean {
    return this.listeners.length > 0;
  }

  async notify(tx: CalendarTransaction, status: ImipMessageStatus, announce: Announce): Promise<void> {
    for (const listener of this.listeners) await listener(tx, status, announce);
  }
}
