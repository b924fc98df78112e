import { DEFAULT_MAX_PAYLOAD } from './reply-budget';

/** NATS-like message headers (the write key, the request id). */
export type MessageHeaders = Readonly<Record<string, string>>;

export type Delivery = (raw: string, respond?: (raw: string) => void, headers?: MessageHeaders) => void;

interface Subscription {
  queue?: string;
  deliver: Delivery;
}

export class NoRespondersError extends Error {
  constructor(subject: string) {
    super(`no responders for ${subject}`);
    this.name = 'NoRespondersError';
  }
}

export class RequestTimeoutError extends Error {
  constructor(subject: string, timeoutMs: number) {
    super(`no reply on ${subject} within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** What nats.js throws as MAX_PAYLOAD_EXCEEDED: the message is bigger than the server takes. */
export class PayloadTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly maxPayload: number,
  ) {
    super(`a message of ${bytes} bytes exceeds the bus maximum of ${maxPayload}`);
    this.name = 'PayloadTooLargeError';
  }
}

/**
 * NATS semantics inside one process: a message goes to every plain subscriber and to
 * one member of each queue group (round robin). Messages are strings, so everything
 * crosses it serialised exactly as over NATS, and delivery is asynchronous. A message (a reply
 * too) larger than `maxPayload` is refused as NATS refuses it, by a throw at the sender.
 */
export class InProcessBroker {
  private readonly subscriptions = new Map<string, Subscription[]>();
  private readonly roundRobin = new Map<string, number>();

  constructor(readonly maxPayload = DEFAULT_MAX_PAYLOAD) {}

  subscribe(subject: string, queue: string | undefined, deliver: Delivery): () => void {
    const entry: Subscription = { queue, deliver };
    const list = this.subscriptions.get(subject) ?? [];
    list.push(entry);
    this.subscriptions.set(subject, list);
    return () => {
      const current = this.subscriptions.get(subject) ?? [];
      this.subscriptions.set(
        subject,
        current.filter((s) => s !== entry),
      );
    };
  }

  /** Returns how many subscribers were handed the message. */
  publish(subject: string, raw: string, respond?: (raw: string) => void, headers?: MessageHeaders): number {
    this.checkSize(raw);
    const checkedRespond = respond && ((reply: string) => {
      this.checkSize(reply);
      respond(reply);
    });
    const targets = this.pickTargets(subject);
    for (const target of targets) setImmediate(() => target.deliver(raw, checkedRespond, headers));
    return targets.length;
  }

  private checkSize(raw: string): void {
    // UTF-8 takes at most three bytes per UTF-16 unit: most messages need no count.
    if (raw.length * 3 <= this.maxPayload) return;
    const bytes = Buffer.byteLength(raw);
    if (bytes > this.maxPayload) throw new PayloadTooLargeError(bytes, this.maxPayload);
  }

  request(subject: string, raw: string, timeoutMs: number, headers?: MessageHeaders): Promise<string> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new RequestTimeoutError(subject, timeoutMs));
      }, timeoutMs);
      const delivered = this.publish(subject, raw, (reply) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(reply);
      }, headers);
      if (delivered === 0) {
        settled = true;
        clearTimeout(timer);
        reject(new NoRespondersError(subject));
      }
    });
  }

  private pickTargets(subject: string): Subscription[] {
    const all = this.subscriptions.get(subject) ?? [];
    const targets = all.filter((s) => s.queue === undefined);
    const groups = new Map<string, Subscription[]>();
    for (const s of all) {
      if (s.queue === undefined) continue;
      groups.set(s.queue, [...(groups.get(s.queue) ?? []), s]);
    }
    for (const [queue, members] of groups) {
      const key = `${subject}\u0000${queue}`;
      const next = this.roundRobin.get(key) ?? 0;
      targets.push(members[next % members.length]);
      this.roundRobin.set(key, next + 1);
    }
    return targets;
  }
}
