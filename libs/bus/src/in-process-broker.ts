import { DEFAULT_MAX_PAYLOAD } from './reply-budget';

/** NATS-like message headers (the write key, the request id). */
export type MessageHeaders = Readonly<Record<string, string>>;

/** `final`: false while a responder has more packets of the same reply to send (a stream); true or absent otherwise. */
export type Respond = (raw: string, final?: boolean) => void;

export type Delivery = (raw: string, respond?: Respond, headers?: MessageHeaders) => void;

interface Subscription {
  id: number;
  subject: string;
  queue?: string;
  deliver: Delivery;
  /** Stands for a subscription of another broker (BrokerLink): never reported back to links. */
  proxy: boolean;
}

/** Told of this broker's own subscriptions as they come and go (BrokerLink forwards them). */
export interface SubscriptionWatcher {
  added(id: number, subject: string, queue: string | undefined): void;
  removed(id: number): void;
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
  private readonly byId = new Map<number, Subscription>();
  private readonly watchers = new Set<SubscriptionWatcher>();
  private nextId = 0;

  constructor(readonly maxPayload = DEFAULT_MAX_PAYLOAD) {}

  /** `proxy`: the subscription stands for one of a linked broker (BrokerLink), so links do not hear of it. */
  subscribe(subject: string, queue: string | undefined, deliver: Delivery, proxy = false): () => void {
    const entry: Subscription = { id: ++this.nextId, subject, queue, deliver, proxy };
    const list = this.subscriptions.get(subject) ?? [];
    list.push(entry);
    this.subscriptions.set(subject, list);
    this.byId.set(entry.id, entry);
    if (!proxy) for (const watcher of this.watchers) watcher.added(entry.id, subject, queue);
    return () => {
      if (!this.byId.delete(entry.id)) return;
      const current = this.subscriptions.get(subject) ?? [];
      this.subscriptions.set(
        subject,
        current.filter((s) => s !== entry),
      );
      if (!proxy) for (const watcher of this.watchers) watcher.removed(entry.id);
    };
  }

  /** Reports the broker's own subscriptions, those there are now and those to come, until the returned function is called. */
  watchSubscriptions(watcher: SubscriptionWatcher): () => void {
    for (const entry of this.byId.values()) if (!entry.proxy) watcher.added(entry.id, entry.subject, entry.queue);
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** Hands a message to one subscription, by the id watchers were told; false when it is gone. */
  deliverTo(id: number, raw: string, respond?: Respond, headers?: MessageHeaders): boolean {
    const entry = this.byId.get(id);
    if (!entry) return false;
    entry.deliver(raw, respond && this.checked(respond), headers);
    return true;
  }

  /** Returns how many subscribers were handed the message. */
  publish(subject: string, raw: string, respond?: Respond, headers?: MessageHeaders): number {
    this.checkSize(raw);
    const checkedRespond = respond && this.checked(respond);
    const targets = this.pickTargets(subject);
    for (const target of targets) setImmediate(() => target.deliver(raw, checkedRespond, headers));
    return targets.length;
  }

  private checked(respond: Respond): Respond {
    return (reply, final) => {
      this.checkSize(reply);
      respond(reply, final);
    };
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
