import { BaseRpcContext, type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { type BusMetrics, serverRequestTimer } from './bus-metrics';
import { InFlight } from './in-flight';
import { fail } from '@davmesh/contracts';
import { PayloadTooLargeError, type InProcessBroker, type Respond } from './in-process-broker';
import { replyTooLarge } from './reply-budget';
import { REQUEST_ID_HEADER, withRequestId } from './request-id';
import { decodeRequestPacket, prefixed, type ReplyPacket } from './wire';

/**
 * Nest transport strategy over the in-process broker: same handlers, same packets as NATS,
 * and the same graceful stop (requests first, then events, each waiting for what was taken), and
 * a reply the broker refuses for its size answered `too-large`, as on NATS.
 */
export class InProcessServer extends Server implements CustomTransportStrategy {
  private requestUnsubscribers: (() => void)[] = [];
  private eventUnsubscribers: (() => void)[] = [];
  private readonly inFlight = new InFlight();

  constructor(
    private readonly broker: InProcessBroker,
    private readonly prefix = '',
    private readonly metrics?: BusMetrics,
  ) {
    super();
  }

  listen(callback: () => void): void {
    for (const [pattern, handler] of this.messageHandlers) {
      const queue = handler.extras?.queue as string | undefined;
      (queue ? this.requestUnsubscribers : this.eventUnsubscribers).push(
        this.broker.subscribe(prefixed(this.prefix, pattern), queue, (raw, respond, headers) => {
          const end = this.inFlight.begin();
          void withRequestId(headers?.[REQUEST_ID_HEADER], () => this.onMessage(pattern, handler, raw, respond, end));
        }),
      );
    }
    callback();
  }

  async close(): Promise<void> {
    for (const unsubscribe of this.requestUnsubscribers.splice(0)) unsubscribe();
    await this.inFlight.idle();
    for (const unsubscribe of this.eventUnsubscribers.splice(0)) unsubscribe();
    await this.inFlight.idle();
  }

  /** As DavmeshNatsServer's: the handler registered under the subject, for the events Nest dispatches (`handleEvent`). */
  override getHandlerByPattern(pattern: string): MessageHandler | null {
    return this.messageHandlers.get(pattern) ?? super.getHandlerByPattern(pattern);
  }

  on(): void {
    // The in-process broker never disconnects, so there are no status events to observe.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }

  private respondOrRefuse(respond: Respond, reply: ReplyPacket, pattern: string): void {
    try {
      respond(JSON.stringify(reply), isLastPacket(reply));
    } catch (error) {
      const tooLarge = error instanceof PayloadTooLargeError;
      this.logger.error(tooLarge ? `a reply on ${pattern} exceeds the bus maximum (${this.broker.maxPayload} bytes): answered too-large` : `a reply on ${pattern} could not be sent: ${(error as Error).message}`);
      const refusal = tooLarge ? replyTooLarge(pattern, this.broker.maxPayload) : fail('internal', 'the reply could not be sent');
      respond(JSON.stringify({ id: reply.id, response: refusal, isDisposed: true } satisfies ReplyPacket));
    }
  }

  /** `end` marks the message handled: after the event's handler, or once the request's last reply packet is out. */
  private async onMessage(pattern: string, handler: MessageHandler, raw: string, respond: Respond | undefined, end: () => void): Promise<void> {
    const packet = decodeRequestPacket(raw, pattern, respond !== undefined);
    if (packet.id === undefined || respond === undefined) {
      try {
        await this.handleEvent(pattern, { pattern, data: packet.data }, new BaseRpcContext([pattern]));
      } finally {
        end();
      }
      return;
    }
    const id = packet.id;
    const answered = serverRequestTimer(this.metrics, pattern);
    try {
      const response$ = this.transformToObservable(await handler(packet.data, new BaseRpcContext([pattern])));
      this.send(response$, (reply: ReplyPacket) => {
        try {
          answered(reply);
          this.respondOrRefuse(respond, { ...reply, id }, pattern);
        } finally {
          if (isLastPacket(reply)) end();
        }
      });
    } catch (error) {
      answered({ err: error });
      end();
      throw error;
    }
  }
}

function isLastPacket(reply: ReplyPacket): boolean {
  return Boolean(reply.isDisposed) || reply.err !== undefined;
}
