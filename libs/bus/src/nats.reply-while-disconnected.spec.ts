import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { defineRequest } from '@davmesh/contracts';
import { describeRequiring, natsServerInstalled, PrivateNats, randomSubjectPrefix, waitFor } from '@davmesh/testing';
import { type BusClient } from './bus-client';
import { handleRequest, HandlesRequest } from './handler';
import { createBusClient, createServerStrategy, type BusTransport } from './transport';

const Store = defineRequest<{ name: string }, { stored: string }>('calendar.v1.test.store', z.object({ name: z.string() }));

/** The handler's work ends when the test says so: here, once NATS is gone. */
let taken = 0;
let finish: () => void = () => undefined;

@Controller()
class StoreHandler {
  @HandlesRequest(Store)
  store(@Payload() payload: unknown) {
    return handleRequest(Store, payload, { warn: () => undefined, error: () => undefined }, async (request) => {
      taken++;
      await new Promise<void>((resolve) => (finish = resolve));
      return { stored: request.name };
    });
  }
}

@Module({ controllers: [StoreHandler] })
class StoreModule {}

describeRequiring('a reply made while the NATS connection is down', natsServerInstalled() ? undefined : 'nats-server not installed', () => {
  let nats: PrivateNats;
  let app: INestMicroservice;
  let client: BusClient;

  beforeAll(async () => {
    nats = await PrivateNats.start();
    const transport: BusTransport = { kind: 'nats', servers: nats.url, prefix: randomSubjectPrefix() };
    app = await NestFactory.createMicroservice(StoreModule, { strategy: createServerStrategy(transport, 'store'), logger: false });
    await app.listen();
    client = await createBusClient(transport, 'caller');
  }, 30_000);

  afterAll(async () => {
    finish();
    await client?.close();
    await app?.close();
    await nats?.stop();
  }, 60_000);

  it('reaches its caller once NATS is back: the work done meanwhile is not answered as failed', async () => {
    // A budget longer than the outage: what is tested is that the reply crosses it, not how fast a loaded machine restarts NATS.
    const reply = client.request(Store, { name: 'a.ics' }, { timeoutMs: 25_000 });
    await waitFor(() => taken === 1);
    // The work ends, and its reply is made, while NATS is down for longer than a reconnect attempt.
    await nats.restart(async () => {
      finish();
      await new Promise((resolve) => setTimeout(resolve, 700));
    });
    expect(await reply).toEqual({ ok: true, data: { stored: 'a.ics' } });
  }, 60_000);
});
