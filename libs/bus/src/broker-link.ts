import { type InProcessBroker, type MessageHeaders, type Respond } from './in-process-broker';

/** What two linked brokers say to each other. Subscription ids are the announcing broker's own. */
export type LinkMessage =
  | { t: 'sub'; id: number; subject: string; queue?: string }
  | { t: 'unsub'; id: number }
  | { t: 'msg'; id: number; raw: string; reply?: number; headers?: MessageHeaders }
  | { t: 'reply'; reply: number; raw: string; final: boolean }
  | { t: 'ping'; id: number }
  | { t: 'pong'; id: number };

/** The side of a channel one broker holds: a worker_threads MessagePort fits. */
export interface LinkPort {
  postMessage(message: LinkMessage): void;
  on(event: 'message', listener: (message: LinkMessage) => void): unknown;
  off(event: 'message', listener: (message: LinkMessage) => void): unknown;
}

/**
 * Joins two in-process brokers (one per thread) into one bus: each announces its own
 * subscriptions to the other, which stands a proxy subscription in for each. A message the
 * broker routes to a proxy crosses the port to that one subscription, so plain subscribers,
 * queue groups (round robin over both threads' members) and no-responders behave as on one
 * broker; replies come back by a number the sending side keeps until the last packet.
 * Messages are the same strings as on one broker: the port copies them, nothing is shared.
 */
export class BrokerLink {
  private readonly proxies = new Map<number, () => void>();
  private readonly awaitingReply = new Map<number, Respond>();
  private nextReply = 0;
  private readonly awaitingPong = new Map<number, () => void>();
  private nextPing = 0;
  private readonly unwatch: () => void;
  private readonly listener = (message: LinkMessage) => this.receive(message);

  constructor(
    private readonly broker: InProcessBroker,
    private readonly port: LinkPort,
  ) {
    port.on('message', this.listener);
    this.unwatch = broker.watchSubscriptions({
      added: (id, subject, queue) => port.postMessage({ t: 'sub', id, subject, queue }),
      removed: (id) => port.postMessage({ t: 'unsub', id }),
    });
  }

  /** Resolves once everything the other side sent before this call has landed here (its subscriptions, say). */
  synced(): Promise<void> {
    const id = ++this.nextPing;
    return new Promise((resolve) => {
      this.awaitingPong.set(id, resolve);
      this.port.postMessage({ t: 'ping', id });
    });
  }

  /** Requests sent across and not yet answered: their requesters time out, as when a responder dies. */
  close(): void {
    this.unwatch();
    this.port.off('message', this.listener);
    for (const unsubscribe of this.proxies.values()) unsubscribe();
    this.proxies.clear();
    this.awaitingReply.clear();
    for (const resolve of this.awaitingPong.values()) resolve();
    this.awaitingPong.clear();
  }

  private receive(message: LinkMessage): void {
    switch (message.t) {
      case 'sub':
        this.proxies.set(message.id, this.broker.subscribe(message.subject, message.queue, (raw, respond, headers) => this.forward(message.id, raw, respond, headers), true));
        return;
      case 'unsub':
        this.proxies.get(message.id)?.();
        this.proxies.delete(message.id);
        return;
      case 'msg': {
        const { reply } = message;
        const respond: Respond | undefined = reply === undefined ? undefined : (raw, final = true) => this.port.postMessage({ t: 'reply', reply, raw, final });
        // A subscription gone since it was announced: the message is lost, as on NATS during an unsubscribe.
        this.broker.deliverTo(message.id, message.raw, respond, message.headers);
        return;
      }
      case 'ping':
        this.port.postMessage({ t: 'pong', id: message.id });
        return;
      case 'pong':
        this.awaitingPong.get(message.id)?.();
        this.awaitingPong.delete(message.id);
        return;
      case 'reply': {
        const respond = this.awaitingReply.get(message.reply);
        if (message.final) this.awaitingReply.delete(message.reply);
        respond?.(message.raw, message.final);
        return;
      }
    }
  }

  private forward(id: number, raw: string, respond: Respond | undefined, headers: MessageHeaders | undefined): void {
    let reply: number | undefined;
    if (respond) {
      reply = ++this.nextReply;
      this.awaitingReply.set(reply, respond);
    }
    this.port.postMessage({ t: 'msg', id, raw, reply, headers });
  }
}
