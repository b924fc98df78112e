import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { BusClient } from './bus-client';
import { createBusClient, type BusTransport } from './transport';

export const BUS_TRANSPORT = Symbol('BUS_TRANSPORT');

@Module({})
export class BusModule implements OnApplicationShutdown {
  constructor(@Inject(BusClient) private readonly client: BusClient) {}

  static forRoot(transport: BusTransport, clientName: string): DynamicModule {
    return {
      module: BusModule,
      global: true,
      providers: [
        { provide: BUS_TRANSPORT, useValue: transport },
        { provide: BusClient, useFactory: () => createBusClient(transport, clientName) },
      ],
      exports: [BusClient, BUS_TRANSPORT],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
