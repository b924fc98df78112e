import { Controller, type DynamicModule, Inject, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { connect } from 'nats';
import { z } from 'zod';
import { defineEvent, defineRequest, DomainException } from '@davmesh/contracts';
import { describeWithInfrastructure, randomSubjectPrefix, TEST_NATS_URL } from '@davmesh/testing';
import { type BusClient } from './bus-client';
import { handleRequest, HandlesBroadcast, HandlesEvent, HandlesRequest, parseEvent } from './handler';
import { InProcessBroker } from './in-process-broker';
import { ReplyBudget } from './reply-budget';
import { createBusClient, createServerStrategy, type BusTransport } from './transport';
import { prefixed } from './wire';

const Echo = defineRequest<{ text: string; sentAt: Date }, { text: string; instance: string; sentAtType: string }>(
  'config.v1.test.echo',
  z.object({ text: z.string(), sentAt: z.unknown() }) as unknown as z.ZodType<{ text: string; sentAt: Date }>,
);
const Pinged = defineEvent<{ n: number }>('config.v1.test.pinged', z.object({ n: z.number() }));
const RollCall = defineRequest<{ refuse?: string }, { instance: string }>('config.v1.test.roll-call', z.object({ refuse: z.string().optional() }));

/** `bytes` of text, or pages of `itemBytes`-sized items filled to the reply budget of `maxPayload`. */
const Blob = defineRequest<{ bytes?: number; itemBytes?: number; maxPayload?: number }, { text?: string; items?: string[] }>(
  'config.v1.test.blob',
  z.object({ bytes: z.number().optional(), itemBytes: z.number().optional(), maxPayload: z.number().optional() }),
);

const INSTANCE = Symbol('INSTANCE');
const quiet = { warn: () => undefined, error: () => undefined };

@Controller()
class EchoHandler {
  readonly events: number[] = [];
  constructor(@Inject(INSTANCE) private readonly instance: string) {}

  @HandlesRequest(Echo)
  echo(@Payload() payload: unknown) {
    return handleRequest(Echo, payload, quiet, async (r) => {
      if (r.text === 'boom') throw new DomainException('conflict', 'boom refused');
      if (r.text === 'crash') throw new Error('unexpected');
      return { text: r.text, instance: this.instance, sentAtType: typeof r.sentAt };
    });
  }

  @HandlesRequest(Blob)
  blob(@Payload() payload: unknown) {
    return handleRequest(Blob, payload, quiet, async (r) => {
      if (r.bytes !== undefined) return { text: 'x'.repeat(r.bytes) };
      const budget = ReplyBudget.forMaxPayload(r.maxPayload!);
      // Quotes and newlines double in JSON: what counts is the encoded size.
      return { items: budget.fill(Array.from({ length: 100 }, (_, i) => `${i}\n"`.repeat(r.itemBytes! / 4))) };
    });
  }

  @HandlesBroadcast(RollCall)
  rollCall(@Payload() payload: unknown) {
    return handleRequest(RollCall, payload, quiet, async (r) => {
      if (r.refuse === this.instance) throw new DomainException('forbidden', 'not answering');
      return { instance: this.instance };
    });
  }

  @HandlesEvent(Pinged)
  pinged(@Payload() payload: unknown) {
    const event = parseEvent(Pinged, payload, quiet);
    if (event) this.events.push(event.n);
  }
}

@Module({})
class EchoModule {
  static for(instance: string): DynamicModule {
    return { module: EchoModule, controllers: [EchoHandler], providers: [{ provide: INSTANCE, useValue: instance }] };
  }
}

async function startEcho(transport: BusTransport, instance: string): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(EchoModule.for(instance), {
    strategy: createServerStrategy(transport, instance),
    logger: false,
  });
  await app.listen();
  return app;
}

const until = async (check: () => boolean, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

function transportSuite(makeTransport: () => BusTransport) {
  let transport: BusTransport;
  let apps: INestMicroservice[];
  let client: BusClient;

  beforeAll(async () => {
    transport = makeTransport();
    apps = [await startEcho(transport, 'one'), await startEcho(transport, 'two')];
    client = await createBusClient(transport, 'test-client');
  });

  afterAll(async () => {
    await client.close();
    await Promise.all(apps.map((app) => app.close()));
  });

  it('shares requests between instances of the queue group', async () => {
    const instances = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const reply = await client.call(Echo, { text: `hi ${i}`, sentAt: new Date() });
      expect(reply.text).toBe(`hi ${i}`);
      instances.add(reply.instance);
    }
    expect(instances).toEqual(new Set(['one', 'two']));
  });

  it('serialises as JSON: a Date arrives as a string', async () => {
    const reply = await client.call(Echo, { text: 'x', sentAt: new Date() });
    expect(reply.sentAtType).toBe('string');
  });

  it('delivers an event to every instance', async () => {
    await client.emit(Pinged, { n: 7 });
    const handlers = apps.map((app) => app.get(EchoHandler));
    await until(() => handlers.every((h) => h.events.includes(7)));
  });

  it('returns domain errors and unexpected failures as error values', async () => {
    const refused = await client.request(Echo, { text: 'boom', sentAt: new Date() });
    expect(refused).toEqual({ ok: false, error: { code: 'conflict', message: 'boom refused' } });
    const crashed = await client.request(Echo, { text: 'crash', sentAt: new Date() });
    expect(crashed).toEqual({ ok: false, error: { code: 'internal', message: 'internal error' } });
  });

  it('answers an invalid payload with bad-request and keeps serving', async () => {
    const reply = await client.request(Echo, { wrong: true } as never);
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.code).toBe('bad-request');
    expect((await client.call(Echo, { text: 'still here', sentAt: new Date() })).text).toBe('still here');
  });

  it('gathers one reply from every instance, leaving out refusals', async () => {
    const all = await client.gather(RollCall, {}, { maxWaitMs: 3000, enough: (replies) => replies.length === 2 });
    expect(all.map((r) => r.instance).sort()).toEqual(['one', 'two']);
    const started = Date.now();
    const one = await client.gather(RollCall, { refuse: 'two' }, { maxWaitMs: 300 });
    expect(one).toEqual([{ instance: 'one' }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('gathers nothing, at once, when nobody answers the subject', async () => {
    const nobody = defineRequest<object, object>('contacts.v1.test.nobody', z.object({}));
    const started = Date.now();
    expect(await client.gather(nobody, {}, { maxWaitMs: 4000 })).toEqual([]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('answers a reply too big for one message with too-large, and keeps serving', async () => {
    const reply = await client.request(Blob, { bytes: client.maxPayload() + 1 });
    expect(!reply.ok && reply.error.code).toBe('too-large');
    for (let i = 0; i < 4; i++) expect((await client.call(Echo, { text: `after ${i}`, sentAt: new Date() })).text).toBe(`after ${i}`);
  });

  it('carries a page filled to the reply budget, envelope and escaping included', async () => {
    const page = await client.call(Blob, { itemBytes: 100_000, maxPayload: client.maxPayload() });
    const items = page.items!;
    expect(items.length).toBeGreaterThan(1);
    expect(items.length).toBeLessThan(100);
    // Full: one more item would not have fitted.
    expect(Buffer.byteLength(JSON.stringify([...items, items[0]]))).toBeGreaterThan(client.replyBudget().bytes);
  });

  it('refuses a request too big for one message before sending it, as a resource too large', async () => {
    const reply = await client.request(Echo, { text: 'x'.repeat(client.maxPayload()), sentAt: new Date() });
    expect(reply).toMatchObject({ ok: false, error: { code: 'too-large', details: { condition: 'max-resource-size' } } });
  });

  it('answers unavailable when no service serves the subject', async () => {
    const nobody = defineRequest<object, object>('contacts.v1.test.nobody', z.object({}));
    const reply = await client.request(nobody, {}, { timeoutMs: 2000 });
    expect(!reply.ok && reply.error.code).toBe('unavailable');
  });
}

describe('in-process transport', () => {
  transportSuite(() => ({ kind: 'in-process', broker: new InProcessBroker() }));
});

describeWithInfrastructure('NATS transport', () => {
  const prefix = randomSubjectPrefix();
  transportSuite(() => ({ kind: 'nats', servers: TEST_NATS_URL, prefix }));

  it('answers bytes that are not JSON with bad-request, and the service keeps serving', async () => {
    const connection = await connect({ servers: TEST_NATS_URL });
    try {
      const message = await connection.request(prefixed(prefix, Echo.subject), new TextEncoder().encode('{garbage'), {
        timeout: 3000,
      });
      const packet = JSON.parse(new TextDecoder().decode(message.data)) as { response: { ok: boolean; error: { code: string } } };
      expect(packet.response.ok).toBe(false);
      expect(packet.response.error.code).toBe('bad-request');
      const bare = await connection.request(
        prefixed(prefix, Echo.subject),
        new TextEncoder().encode(JSON.stringify({ text: 'bare', sentAt: 'now' })),
        { timeout: 3000 },
      );
      const answered = JSON.parse(new TextDecoder().decode(bare.data)) as { response: { ok: boolean; data: { text: string } } };
      expect(answered.response).toMatchObject({ ok: true, data: { text: 'bare' } });
    } finally {
      await connection.close();
    }
  });
});
