import { Logger, type LoggerService } from '@nestjs/common';
import { type ConsumerDeserializer, type IncomingRequest, type NatsContext, ServerNats } from '@nestjs/microservices';
import { ErrorCode, type Msg, type NatsConnection, type NatsError, type Subscription } from 'nats';
import { fail } from '@davmesh/contracts';
import { type BusMetrics, serverRequestTimer } from './bus-metrics';
import { InFlight } from './in-flight';
import { DEFAULT_MAX_PAYLOAD, replyTooLarge } from './reply-budget';
import { ReplyHold } from './reply-hold';
import { type NatsSecurity } from './nats-security';
import { SharedNatsConnection } from './shared-nats-connection';
import { REQUEST_ID_HEADER, withRequestId } from './request-id';
import { withWriteKey, WRITE_KEY_HEADER } from './write-key';
import { decodeRequestPacket, prefixed } from './wire';

const tolerantDeserializer: ConsumerDeserializer = {
  deserialize(value: Uint8Array, options?: Record<string, unknown>): IncomingRequest {
    const channel = String(options?.channel ?? '');
    return decodeRequestPacket(value, channel, Boolean(options?.replyTo)) as IncomingRequest;
  },
};

/**
 * Nest's NATS transport with these changes: subjects carry a deployment prefix (tests and
 * tenants share one NATS); a message that is not JSON is answered with `bad-request`
 * instead of rejecting inside the subscription callback and killing the process; it runs
 * on the process's shared connection when given one (and then never closes it); and it
 * stops gracefully: `close()` drains the request subscriptions (this replica takes no new
 * request, its queue group's others do), waits until every request taken is answered,
 * then drains the event subscriptions the same way. A reply made as the connection drops is
 * sent again when it is back (ReplyHold). A write's key (WRITE_KEY_HEADER) is in reach of its
 * handler's transaction, which answers a write already stored with its first reply; its request id
 * (REQUEST_ID_HEADER) is on the handler's log lines. A reply that
 * cannot be sent (larger than the server's max_payload, or not serialisable) is logged and answered
 * `too-large` or `internal` instead, never thrown: nats.js throws from the publish, and Nest would
 * let that end the process.
 * Queue groups come from each handler (`{ queue }` extras); events subscribe without one.
 */
export class DavmeshNatsServer extends ServerNats {
  private readonly connection: SharedNatsConnection;
  private readonly ownsConnection: boolean;
  private readonly requestSubscriptions: Subscription[] = [];
  private readonly eventSubscriptions: Subscription[] = [];
  private readonly inFlight = new InFlight();
  /** Requests whose reply publisher is not made yet, with the end of their in-flight mark and their handler's subject. */
  private readonly awaitingPublisher = new WeakMap<Msg, { end: () => void; channel: string }>();
  private replyHold?: ReplyHold;
  protected override readonly logger: LoggerService = new NatsStatusLogger(new Logger('Server'));
  private client?: NatsConnection;

  constructor(
    servers: string,
    private readonly prefix: string,
    name: string,
    shared?: SharedNatsConnection,
    security?: NatsSecurity,
    private readonly metrics?: BusMetrics,
  ) {
    super({ servers, name, deserializer: tolerantDeserializer });
    this.connection = shared ?? new SharedNatsConnection(servers, name, security);
    this.ownsConnection = shared === undefined;
  }

  override createNatsClient(): Promise<NatsConnection> {
    return this.connection.connection();
  }

  override bindEvents(client: NatsConnection): void {
    this.client = client;
    this.replyHold = new ReplyHold(client);
    for (const [channel, handler] of this.messageHandlers) {
      const queue = handler.extras?.queue as string | undefined;
      const subscription = client.subscribe(prefixed(this.prefix, channel), {
        queue,
        callback: this.getMessageHandler(channel).bind(this) as (err: Error | null, msg: unknown) => void,
      });
      (queue ? this.requestSubscriptions : this.eventSubscriptions).push(subscription);
    }
  }

  override async handleMessage(channel: string, message: Msg): Promise<unknown> {
    const end = this.inFlight.begin();
    if (message.reply) this.awaitingPublisher.set(message, { end, channel });
    try {
      const handle = () => withWriteKey(message.headers?.get(WRITE_KEY_HEADER) || undefined, () => super.handleMessage(channel, message));
      return await withRequestId(message.headers?.get(REQUEST_ID_HEADER) || undefined, handle);
    } finally {
      // No reply publisher was made (an event, or a message that failed before): done now.
      if (!message.reply || this.awaitingPublisher.delete(message)) end();
    }
  }

  /**
   * The handler subscribed under `channel`, which is always a registered subject: Nest would first
   * try it as JSON (`getRouteFromPattern`), throwing and catching for every message.
   */
  override getHandlerByPattern(channel: string): ReturnType<ServerNats['getHandlerByPattern']> {
    return this.messageHandlers.get(channel) ?? super.getHandlerByPattern(channel);
  }

  override getPublisher(message: Msg, id: string, context: NatsContext): (response: { isDisposed?: boolean; err?: unknown }) => unknown {
    const publish = super.getPublisher(message, id, context);
    const awaiting = this.awaitingPublisher.get(message);
    this.awaitingPublisher.delete(message);
    const answered = awaiting ? serverRequestTimer(this.metrics, awaiting.channel) : undefined;
    const send = (response: { isDisposed?: boolean; err?: unknown }) => this.publishOrRefuse(publish, response, message.subject);
    return (response) => {
      try {
        answered?.(response);
        if (this.replyHold) this.replyHold.send(() => send(response));
        else send(response);
      } finally {
        if (response.isDisposed || response.err !== undefined) awaiting?.end();
      }
    };
  }

  /** Publishes the reply; one the bus refuses becomes an error reply, and one that cannot go at all is dropped, logged. */
  private publishOrRefuse(publish: (response: object) => unknown, response: { response?: unknown; isDisposed?: boolean; err?: unknown }, subject: string): void {
    try {
      publish(response);
      return;
    } catch (error) {
      const code = (error as NatsError).code;
      if (code === ErrorCode.ConnectionClosed || code === ErrorCode.ConnectionDraining) {
        this.logger.warn(`a reply on ${subject} was dropped: the connection is closing`);
        return;
      }
      const maxPayload = this.client?.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
      const tooLarge = code === ErrorCode.MaxPayloadExceeded;
      this.logger.error(tooLarge ? `a reply on ${subject} exceeds max_payload (${maxPayload} bytes): answered too-large` : `a reply on ${subject} could not be sent: ${(error as Error).message}`);
      const refusal = tooLarge ? replyTooLarge(subject, maxPayload) : fail('internal', 'the reply could not be sent');
      try {
        publish({ response: refusal, isDisposed: true });
      } catch {
        // Not even the refusal goes out (the connection dropped meanwhile): the caller times out.
      }
    }
  }

  override async close(): Promise<void> {
    await drain(this.requestSubscriptions);
    await this.inFlight.idle();
    await drain(this.eventSubscriptions);
    await this.inFlight.idle();
    this.statusEventEmitter.removeAllListeners();
    if (this.ownsConnection) await this.connection.close();
  }
}

/** Unsubscribes and resolves once the messages already delivered have been handed to the handlers. */
async function drain(subscriptions: Subscription[]): Promise<void> {
  const open = subscriptions.splice(0).filter((s) => !s.isClosed());
  await Promise.all(open.map((s) => s.drain().catch(() => undefined)));
}

/**
 * Nest logs a dropped NATS connection as an error with "NatsError"; the client reconnects by
 * itself and requests meanwhile answer 503, so it is an outage to warn of, not a bug.
 */
class NatsStatusLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.inner.log(message, ...rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    if (typeof message === 'string' && message.startsWith('NatsError: type: "disconnect"')) {
      this.inner.warn(`the NATS connection dropped; reconnecting (${message})`, ...rest);
    } else {
      this.inner.error(message, ...rest);
    }
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug?.(message, ...rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose?.(message, ...rest);
  }
}
