import { type CustomTransportStrategy } from '@nestjs/microservices';
import { type BusClient } from './bus-client';
import { MeteredBusClient, type BusMetrics } from './bus-metrics';
import { InProcessBusClient } from './in-process-bus.client';
import { type InProcessBroker } from './in-process-broker';
import { InProcessServer } from './in-process.server';
import { NatsBusClient } from './nats-bus.client';
import { type NatsSecurity } from './nats-security';
import { DavmeshNatsServer } from './nats.server';
import { type SharedNatsConnection } from './shared-nats-connection';

export type BusTransport = (
  /**
   * `connection`: the process's one connection, which servers and clients then share and never close.
   * `security`: TLS and login of the connections opened here when no shared one is given.
   */
  | { kind: 'nats'; servers: string; prefix: string; connection?: SharedNatsConnection; security?: NatsSecurity }
  | { kind: 'in-process'; broker: InProcessBroker; prefix?: string }
) & {
  /** The process's metrics: every client made from this transport counts its requests there. */
  metrics?: BusMetrics;
};

export interface BusServerStrategy extends CustomTransportStrategy {
  /** `reconnect` fires when a NATS connection comes back; the in-process bus never emits it. */
  on(event: 'reconnect', callback: () => void): void;
}

export function createServerStrategy(transport: BusTransport, name: string): BusServerStrategy {
  switch (transport.kind) {
    case 'nats':
      return new DavmeshNatsServer(transport.servers, transport.prefix, name, transport.connection, transport.security, transport.metrics);
    case 'in-process':
      return new InProcessServer(transport.broker, transport.prefix, transport.metrics);
  }
}

export async function createBusClient(transport: BusTransport, name: string): Promise<BusClient> {
  const client = await createUnmeteredClient(transport, name);
  return transport.metrics ? new MeteredBusClient(client, transport.metrics) : client;
}

function createUnmeteredClient(transport: BusTransport, name: string): Promise<BusClient> | BusClient {
  switch (transport.kind) {
    case 'nats':
      return transport.connection
        ? NatsBusClient.over(transport.connection, transport.prefix)
        : NatsBusClient.connect(transport.servers, transport.prefix, name, transport.security);
    case 'in-process':
      return new InProcessBusClient(transport.broker, transport.prefix);
  }
}
