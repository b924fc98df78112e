import { type ConsumerDeserializer, type IncomingRequest, ServerNats } from '@nestjs/microservices';
import { type NatsConnection, type Subscription } from 'nats';
import { decodeRequestPacket, prefixed } from './wire';

const tolerantDeserializer: ConsumerDeserializer = {
  deserialize(value: Uint8Array, options?: Record<string, unknown>): IncomingRequest {
    const channel = String(options?.channel ?? '');
    return decodeRequestPacket(value, channel, Boolean(options?.replyTo)) as IncomingRequest;
  },
};

/**
 * Nest's NATS transport with two changes: subjects carry a deployment prefix (tests and
 * tenants share one NATS), and a message that is not JSON is answered with `bad-request`
 * instead of rejecting inside the subscription callback and killing the process.
 * Queue groups come from each handler (`{ queue }` extras); events subscribe without one.
 */
export class DavmeshNatsServer extends ServerNats {
  constructor(
    servers: string,
    private readonly prefix: string,
    name: string,
  ) {
    super({ servers, name, deserializer: tolerantDeserializer, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  }

  override bindEvents(client: NatsConnection): void {
    const subscriptions = (this as unknown as { subscriptions: Subscription[] }).subscriptions;
    for (const [channel, handler] of this.messageHandlers) {
      const queue = handler.extras?.queue as string | undefined;
      subscriptions.push(
        client.subscribe(prefixed(this.prefix, channel), {
          queue,
          callback: this.getMessageHandler(channel).bind(this) as (err: Error | null, msg: unknown) => void,
        }),
      );
    }
  }
}
