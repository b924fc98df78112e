import { BaseRpcContext, type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { type InProcessBroker } from './in-process-broker';
import { decodeRequestPacket, prefixed, type ReplyPacket } from './wire';

/** Nest transport strategy over the in-process broker: same handlers, same packets as NATS. */
export class InProcessServer extends Server implements CustomTransportStrategy {
  private unsubscribers: (() => void)[] = [];

  constructor(
    private readonly broker: InProcessBroker,
    private readonly prefix = '',
  ) {
    super();
  }

  listen(callback: () => void): void {
    for (const [pattern, handler] of this.messageHandlers) {
      const queue = handler.extras?.queue as string | undefined;
      this.unsubscribers.push(
        this.broker.subscribe(prefixed(this.prefix, pattern), queue, (raw, respond) => {
          void this.onMessage(pattern, raw, respond);
        }),
      );
    }
    callback();
  }

  close(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
  }

  on(): void {
    // The in-process broker never disconnects, so there are no status events to observe.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }

  private async onMessage(pattern: string, raw: string, respond?: (raw: string) => void): Promise<void> {
    const packet = decodeRequestPacket(raw, pattern, respond !== undefined);
    if (packet.id === undefined || respond === undefined) {
      await this.handleEvent(pattern, { pattern, data: packet.data }, new BaseRpcContext([pattern]));
      return;
    }
    const id = packet.id;
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) {
      respond(JSON.stringify({ id, err: `no handler for ${pattern}`, isDisposed: true } satisfies ReplyPacket));
      return;
    }
    const response$ = this.transformToObservable(await handler(packet.data, new BaseRpcContext([pattern])));
    this.send(response$, (reply: ReplyPacket) => respond(JSON.stringify({ ...reply, id })));
  }
}
