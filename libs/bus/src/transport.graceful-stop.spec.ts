import { Controller, type DynamicModule, Inject, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { defineRequest } from '@davmesh/contracts';
import { describeWithInfrastructure, randomSubjectPrefix, TEST_NATS_URL, waitFor } from '@davmesh/testing';
import { handleRequest, HandlesRequest } from './handler';
import { InProcessBroker } from './in-process-broker';
import { SharedNatsConnection } from './shared-nats-connection';
import { createBusClient, createServerStrategy, type BusTransport } from './transport';

const Work = defineRequest<{ hold: boolean }, { instance: string }>('calendar.v1.test.work', z.object({ hold: z.boolean() }));

const INSTANCE = Symbol('INSTANCE');
const quiet = { warn: () => undefined, error: () => undefined };

/** Requests with `hold` wait until the test releases them; the others answer at once. */
class Gate {
  readonly held: string[] = [];
  private releases: (() => void)[] = [];
  hold(instance: string): Promise<void> {
    this.held.push(instance);
    return new Promise((resolve) => this.releases.push(resolve));
  }
  release(): void {
    for (const release of this.releases.splice(0)) release();
  }
}
const gate = new Gate();

@Controller()
class WorkHandler {
  constructor(@Inject(INSTANCE) private readonly instance: string) {}

  @HandlesRequest(Work)
  work(@Payload() payload: unknown) {
    return handleRequest(Work, payload, quiet, async (request) => {
      if (request.hold) await gate.hold(this.instance);
      return { instance: this.instance };
    });
  }
}

@Module({})
class WorkModule {
  static for(instance: string): DynamicModule {
    return { module: WorkModule, controllers: [WorkHandler], providers: [{ provide: INSTANCE, useValue: instance }] };
  }
}

async function startWorker(transport: BusTransport, instance: string): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(WorkModule.for(instance), { strategy: createServerStrategy(transport, instance), logger: false });
  await app.listen();
  return app;
}

function gracefulStopSuite(makeTransport: () => BusTransport, closeTransport: (transport: BusTransport) => Promise<void>) {
  it('answers the request in flight before it stops, and no request sent meanwhile fails', async () => {
    const transport = makeTransport();
    const apps = new Map([
      ['one', await startWorker(transport, 'one')],
      ['two', await startWorker(transport, 'two')],
    ]);
    const client = await createBusClient(transport, 'test-client');
    try {
      const inFlight = client.request(Work, { hold: true });
      await waitFor(() => gate.held.length === 1);
      const stopping = gate.held[0];
      const other = stopping === 'one' ? 'two' : 'one';
      let stopped = false;
      const closed = apps
        .get(stopping)!
        .close()
        .then(() => (stopped = true));

      // Sent while the replica unsubscribes: each is answered, by whichever replica had it.
      const meanwhile = await Promise.all(Array.from({ length: 10 }, () => client.request(Work, { hold: false })));
      expect(meanwhile.filter((r) => !r.ok)).toEqual([]);

      // The stop waits for the request it took.
      expect(stopped).toBe(false);
      gate.release();
      expect(await inFlight).toEqual({ ok: true, data: { instance: stopping } });
      await closed;
      const after = await Promise.all(Array.from({ length: 5 }, () => client.call(Work, { hold: false })));
      expect(after.map((r) => r.instance)).toEqual(Array(5).fill(other));
    } finally {
      gate.release();
      gate.held.length = 0;
      await client.close();
      await Promise.all([...apps.values()].map((app) => app.close()));
      await closeTransport(transport);
    }
  });
}

describe('in-process transport: graceful stop', () => {
  gracefulStopSuite(
    () => ({ kind: 'in-process', broker: new InProcessBroker() }),
    async () => undefined,
  );
});

describeWithInfrastructure('NATS transport: graceful stop', () => {
  describe('each server and client on a connection of its own', () => {
    gracefulStopSuite(
      () => ({ kind: 'nats', servers: TEST_NATS_URL, prefix: randomSubjectPrefix() }),
      async () => undefined,
    );
  });

  describe('servers and clients on one shared connection', () => {
    gracefulStopSuite(
      () => ({ kind: 'nats', servers: TEST_NATS_URL, prefix: randomSubjectPrefix(), connection: new SharedNatsConnection(TEST_NATS_URL, 'graceful-stop-spec') }),
      async (transport) => {
        const shared = transport.kind === 'nats' ? transport.connection! : undefined;
        const connection = await shared!.connection();
        // Stopping the servers and closing the clients left the connection to its owner.
        expect(connection.isClosed()).toBe(false);
        await Promise.all([shared!.close(), shared!.close()]);
        expect(connection.isClosed()).toBe(true);
      },
    );
  });
});
