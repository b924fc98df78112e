import { DomainException, fail, type Reply } from '@davmesh/contracts';

/**
 * NATS's default max_payload. The in-process broker caps every message at it too, so a reply
 * too big for NATS is too big in every mode, and fast tests find it.
 */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/**
 * Room a message keeps beside the items a budget admits: the reply envelope (`{"id":…,
 * "response":{"ok":true,"data":{…}},"isDisposed":true}`, under 200 bytes) and the small fixed
 * fields of a page (a cursor, a revision, a flag). Lists that grow with the request (names
 * asked for) are charged to the budget with `reserve`.
 */
export const REPLY_ENVELOPE_BYTES = 8 * 1024;

/** Bytes `value` takes in a message, as JSON (how every transport encodes it). */
export function encodedBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}

/**
 * A request the bus cannot carry is refused before it is sent. Only writes carry bodies that
 * big (a PUT), so it names `max-resource-size`: the edge answers it as the resource too large to store.
 */
export function requestTooLarge<T>(subject: string, maxPayload: number): Reply<T> {
  return fail('too-large', `the request on ${subject} exceeds the bus message size of ${maxPayload} bytes`, { condition: 'max-resource-size' });
}

/** What the server transport sends instead of a reply the bus refused for its size. */
export function replyTooLarge<T>(subject: string, maxPayload: number): Reply<T> {
  return fail('too-large', `the answer on ${subject} exceeds the bus message size of ${maxPayload} bytes`);
}

/** Thrown when one item cannot travel even alone: the handler answers `too-large`, never a message the bus refuses. */
export class ReplyTooLarge extends DomainException {
  constructor(itemBytes: number, budgetBytes: number) {
    super('too-large', `one item of the answer takes ${itemBytes} bytes; a bus reply carries at most ${budgetBytes}`, { itemBytes, budgetBytes });
    this.name = 'ReplyTooLarge';
  }
}

/**
 * At most the bytes `value` takes as JSON, from lengths alone: a UTF-16 unit never takes more
 * than six bytes (`\u001f`), a number 24. Undefined for what it cannot bound so (a Date, a Map):
 * those are measured.
 */
function encodedBytesAtMost(value: unknown, depth = 0): number | undefined {
  switch (typeof value) {
    case 'string':
      return 6 * value.length + 2;
    case 'number':
      return 24;
    case 'boolean':
      return 5;
    case 'undefined':
      return 4;
    case 'object': {
      if (value === null) return 4;
      if (depth > 8) return undefined;
      const prototype = Object.getPrototypeOf(value);
      if (Array.isArray(value)) {
        let bytes = 2;
        for (const element of value) {
          const at = encodedBytesAtMost(element, depth + 1);
          if (at === undefined) return undefined;
          bytes += at + 1;
        }
        return bytes;
      }
      if (prototype !== Object.prototype && prototype !== null) return undefined;
      let bytes = 2;
      for (const [key, field] of Object.entries(value)) {
        const at = encodedBytesAtMost(field, depth + 1);
        if (at === undefined) return undefined;
        bytes += 6 * key.length + 3 + at + 1;
      }
      return bytes;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
      return undefined;
  }
}

/**
 * The bytes one bus reply may carry, spent item by item: a handler that answers a page of
 * bodies (objects, vCards, changes) takes items while they fit and ends the page there, so
 * the caller asks for the rest. Always admits at least one item, or says that one alone
 * cannot travel (`ReplyTooLarge`).
 *
 * Items are admitted on a bound from their lengths while even that fits, and encoded to be
 * measured only when the bound says a page might end: a page far below the limit (a multiget of
 * fifty events in a reply of 1 MiB) costs no JSON.stringify of its bodies, and every page ends
 * exactly where measuring each item would end it.
 */
export class ReplyBudget {
  private left: number;
  private taken = 0;
  /** Admitted on their bound, not yet measured, and that bound's total. */
  private unmeasured: unknown[] = [];
  private unmeasuredBytes = 0;

  constructor(readonly bytes: number) {
    this.left = bytes;
  }

  /** The budget of a reply on a connection whose messages carry at most `maxPayload` bytes. */
  static forMaxPayload(maxPayload: number): ReplyBudget {
    return new ReplyBudget(Math.max(0, maxPayload - REPLY_ENVELOPE_BYTES));
  }

  /** Charges what the reply carries in any case (names asked for, echoed back as missing). */
  reserve(value: unknown): this {
    this.left -= encodedBytes(value) + 1;
    return this;
  }

  /** Takes `item` if it fits in what is left, else false (the page ends before it); the first must fit alone. */
  take(item: unknown): boolean {
    const bound = encodedBytesAtMost(item);
    if (bound !== undefined && this.unmeasuredBytes + bound + 1 <= this.left) {
      this.unmeasured.push(item);
      this.unmeasuredBytes += bound + 1;
      this.taken++;
      return true;
    }
    this.measure();
    const size = encodedBytes(item) + 1;
    if (size > this.left) {
      if (this.taken === 0) throw new ReplyTooLarge(size, this.bytes);
      return false;
    }
    this.left -= size;
    this.taken++;
    return true;
  }

  /** The leading items that fit (at least one of a non-empty list). */
  fill<T>(items: T[]): T[] {
    const kept: T[] = [];
    for (const item of items) {
      if (!this.take(item)) break;
      kept.push(item);
    }
    return kept;
  }

  /** Charges the items admitted on their bound with what they take. */
  private measure(): void {
    for (const item of this.unmeasured) this.left -= encodedBytes(item) + 1;
    this.unmeasured = [];
    this.unmeasuredBytes = 0;
  }
}
