import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { connect, type NatsConnection } from 'nats';
import { z } from 'zod';
import { defineRequest, ok } from '@davmesh/contracts';
import { describeWithInfrastructure, randomSubjectPrefix, TEST_NATS_URL } from '@davmesh/testing';
import { handleRequest, HandlesRequest } from './handler';
import { askTwice, FIRST_ATTEMPT_SHARE, type Attempt } from './idempotent-retry';
import { createBusClient, createServerStrategy } from './transport';
import { prefixed } from './wire';

const answer = (value: string, afterMs: number): Promise<Attempt<string>> =>
  new Promise((resolve) => setTimeout(() => resolve({ reply: ok(value) }), afterMs));
const silence = (timeoutMs: number): Promise<Attempt<string>> =>
  new Promise((resolve) => setTimeout(() => resolve({ noAnswer: 'timeout', message: 'timed out' }), timeoutMs));

describe('an idempotent request asked twice within its budget', () => {
  it('asks once when the first replica answers in time', async () => {
    const budgets: number[] = [];
    const outcome = await askTwice(1000, (timeoutMs) => {
      budgets.push(timeoutMs);
      return answer('first', 10);
    });
    expect(outcome).toEqual({ reply: ok('first') });
    expect(budgets).toEqual([1000]);
  });

  it('asks again after its share of the budget when the first is silent, and takes the second answer', async () => {
    const budgets: number[] = [];
    const started = Date.now();
    const outcome = await askTwice(5000, (timeoutMs) => {
      budgets.push(timeoutMs);
      return budgets.length === 1 ? silence(timeoutMs) : answer('second', 10);
    });
    expect(outcome).toEqual({ reply: ok('second') });
    expect(budgets).toHaveLength(2);
    expect(budgets[1]).toBeLessThanOrEqual(5000 * (1 - FIRST_ATTEMPT_SHARE) + 5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000 * FIRST_ATTEMPT_SHARE - 5);
  });

  it('takes a late first answer that beats the second', async () => {
    let tries = 0;
    const outcome = await askTwice(5000, (timeoutMs) => (++tries === 1 ? answer('late first', 2500) : silence(timeoutMs)));
    expect(outcome).toEqual({ reply: ok('late first') });
    expect(tries).toBe(2);
  });

  it('asks again shortly after no replica was there, and gives up within the budget when none ever answers', async () => {
    let tries = 0;
    const started = Date.now();
    const outcome = await askTwice(5000, async () => {
      tries++;
      return { noAnswer: 'no-responders', message: 'no responders' };
    });
    expect(outcome).toMatchObject({ noAnswer: 'no-responders' });
    expect(tries).toBe(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('never repeats a request that got a reply, an error reply included', async () => {
    let tries = 0;
    const outcome = await askTwice(1000, async () => {
      tries++;
      return { reply: { ok: false, error: { code: 'unavailable', message: 'the database is unavailable' } } };
    });
    expect(outcome).toMatchObject({ reply: { ok: false } });
    expect(tries).toBe(1);
  });
});

const Read = defineRequest<{ n: number }, { n: number }>('calendar.v1.test.read', z.object({ n: z.number() }).strict(), { idempotent: true });
const Write = defineRequest<{ n: number }, { n: number }>('calendar.v1.test.write', z.object({ n: z.number() }).strict());
const quiet = { warn: () => undefined, error: () => undefined };

@Controller()
class LiveReplica {
  @HandlesRequest(Read)
  read(@Payload() payload: unknown) {
    return handleRequest(Read, payload, quiet, async (r) => r);
  }

  @HandlesRequest(Write)
  write(@Payload() payload: unknown) {
    return handleRequest(Write, payload, quiet, async (r) => r);
  }
}

@Module({ controllers: [LiveReplica] })
class LiveReplicaModule {}

describeWithInfrastructure('idempotent requests over NATS, with replicas that take requests and never answer', () => {
  const prefix = randomSubjectPrefix();
  const transport = { kind: 'nats' as const, servers: TEST_NATS_URL, prefix };
  let live: INestMicroservice;
  let dying: NatsConnection;
  let silent: NatsConnection;
  const swallowed = { read: 0, write: 0 };

  beforeAll(async () => {
    live = await NestFactory.createMicroservice(LiveReplicaModule, { strategy: createServerStrategy(transport, 'live'), logger: false });
    await live.listen();
    // A replica that dies with a read in hand (its subscription goes with its connection), and one that takes writes and never answers.
    dying = await connect({ servers: TEST_NATS_URL });
    dying.subscribe(prefixed(prefix, Read.subject), {
      queue: 'calendar',
      callback: () => {
        swallowed.read++;
        void dying.close();
      },
    });
    await dying.flush();
    silent = await connect({ servers: TEST_NATS_URL });
    silent.subscribe(prefixed(prefix, Write.subject), { queue: 'calendar', callback: () => swallowed.write++ });
    await silent.flush();
  });

  afterAll(async () => {
    if (!dying.isClosed()) await dying.close();
    await silent?.close();
    await live?.close();
  });

  it('answers every read within its budget, asking the live replica for those the dying one took', async () => {
    const client = await createBusClient(transport, 'test');
    try {
      const replies = await Promise.all(Array.from({ length: 20 }, (_, n) => client.request(Read, { n }, { timeoutMs: 5000 })));
      expect(replies).toEqual(Array.from({ length: 20 }, (_, n) => ok({ n })));
      expect(swallowed.read).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('asks a write the silent replica took again under its write key, until the live one answers it', async () => {
    const client = await createBusClient(transport, 'test');
    try {
      const replies = await Promise.all(Array.from({ length: 20 }, (_, n) => client.request(Write, { n }, { timeoutMs: 1000 })));
      expect(swallowed.write).toBeGreaterThan(0);
      expect(replies).toEqual(Array.from({ length: 20 }, (_, n) => ok({ n })));
    } finally {
      await client.close();
    }
  }, 30_000);
});
