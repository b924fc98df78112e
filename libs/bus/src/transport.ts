import { type CustomTransportStrategy } from '@nestjs/microservices';
import { type BusClient } from './bus-client';
import { InProcessBusClient } from './in-process-bus.client';
import { type InProcessBroker } from './in-process-broker';
import { InProcessServer } from './in-process.server';
import { NatsBusClient } from './nats-bus.client';
import { DavmeshNatsServer } from './nats.server';

export type BusTransport =
  | { kind: 'nats'; servers: string; prefix: string }
  | { kind: 'in-process'; broker: InProcessBroker; prefix?: string };

export interface BusServerStrategy extends CustomTransportStrategy {
  /** `reconnect` fires when a NATS connection comes back; the in-process bus never emits it. */
  on(event: 'reconnect', callback: () => void): void;
}

export function createServerStrategy(transport: BusTransport, name: string): BusServerStrategy {
  switch (transport.kind) {
    case 'nats':
      return new DavmeshNatsServer(transport.servers, transport.prefix, name);
    case 'in-process':
      return new InProcessServer(transport.broker, transport.prefix);
  }
}

export async function createBusClient(transport: BusTransport, name: string): Promise<BusClient> {
  switch (transport.kind) {
    case 'nats':
      return NatsBusClient.connect(transport.servers, transport.prefix, name);
    case 'in-process':
      return new InProcessBusClient(transport.broker, transport.prefix);
  }
}
