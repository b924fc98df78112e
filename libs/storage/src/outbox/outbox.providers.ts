import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy, type Provider } from '@nestjs/common';
import { BUS_TRANSPORT, BusClient, type BusTransport } from '@davmesh/bus';
import { LOGGER, type Logger } from '@davmesh/logging';
import { DataSource } from 'typeorm';
import { Outbox, type OutboxOptions } from './outbox';
import { OutboxRelay } from './outbox-relay';

/** Runs the service's relay from the start of the app until it stops (before the pools close). */
@Injectable()
export class OutboxRelayLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  readonly relay: OutboxRelay;

  constructor(@Inject(Outbox) outbox: Outbox, @Inject(LOGGER) logger: Logger) {
    this.relay = new OutboxRelay(outbox, logger);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }
}

/** The `Outbox` of a service module (which imports its StorageModule) and its relay; it stores events on NATS only. */
export function outboxProviders(options: OutboxOptions): Provider[] {
  return [
    {
      provide: Outbox,
      inject: [DataSource, BusClient, LOGGER, BUS_TRANSPORT],
      useFactory: (dataSource: DataSource, bus: BusClient, logger: Logger, transport: BusTransport) =>
        new Outbox(dataSource, bus, logger, { durable: transport.kind === 'nats', ...options }),
    },
    OutboxRelayLifecycle,
  ];
}
