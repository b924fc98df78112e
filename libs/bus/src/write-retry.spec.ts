import { connect, type NatsConnection } from 'nats';
import { z } from 'zod';
import { defineRequest, ok } from '@davmesh/contracts';
import { describeWithInfrastructure, randomSubjectPrefix, TEST_NATS_URL } from '@davmesh/testing';
import { type Attempt } from './idempotent-retry';
import { createBusClient } from './transport';
import { encodePacket, prefixed } from './wire';
import { WRITE_KEY_HEADER } from './write-key';
import { askUntilKnown } from './write-retry';

const noResponders = async (): Promise<Attempt<string>> => ({ noAnswer: 'no-responders', message: 'no responders' });
const timedOut = (timeoutMs: number): Promise<Attempt<string>> =>
  new Promise((resolve) => setTimeout(() => resolve({ noAnswer: 'timeout', message: 'timed out' }), timeoutMs));

describe('a write asked until its outcome is known', () => {
  it('asks once when it is answered', async () => {
    let tries = 0;
    expect(await askUntilKnown(1000, async () => (tries++, { reply: ok('stored') }))).toEqual({ reply: ok('stored') });
    expect(tries).toBe(1);
  });

  it('gives up within the caller budget while nothing was delivered (no responders)', async () => {
    let tries = 0;
    const started = Date.now();
    const outcome = await askUntilKnown(600, () => (tries++, noResponders()), 20_000);
    expect(outcome).toMatchObject({ noAnswer: 'no-responders' });
    expect(tries).toBeGreaterThan(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('goes on past the caller budget once a try may have been delivered, and takes the answer that comes', async () => {
    let tries = 0;
    const outcome = await askUntilKnown(300, (timeoutMs) => (++tries < 4 ? timedOut(timeoutMs) : Promise.resolve({ reply: ok('stored before') })), 20_000);
    expect(outcome).toEqual({ reply: ok('stored before') });
    expect(tries).toBe(4);
  });

  it('ends when the outcome budget is spent', async () => {
    let tries = 0;
    const started = Date.now();
    const outcome = await askUntilKnown(200, (timeoutMs) => (tries++, timedOut(timeoutMs)), 1000);
    expect(outcome).toMatchObject({ noAnswer: 'timeout' });
    expect(tries).toBeGreaterThan(2);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

const Put = defineRequest<{ n: number }, { n: number; tries: number }>('calendar.v1.test.keyed-write', z.object({ n: z.number() }).strict());

describeWithInfrastructure('writes over NATS whose first reply is lost', () => {
  const prefix = randomSubjectPrefix();
  let replica: NatsConnection;
  /** Tries seen per write key. */
  const tries = new Map<string, number>();

  beforeAll(async () => {
    // A replica whose first reply to each write is lost: it answers a key only when asked again.
    replica = await connect({ servers: TEST_NATS_URL });
    replica.subscribe(prefixed(prefix, Put.subject), {
      queue: 'calendar',
      callback: (_error, message) => {
        const key = message.headers?.get(WRITE_KEY_HEADER) ?? '';
        const seen = (tries.get(key) ?? 0) + 1;
        tries.set(key, seen);
        if (seen === 1) return;
        const request = JSON.parse(new TextDecoder().decode(message.data)) as { id: string; data: { n: number } };
        message.respond(encodePacket({ id: request.id, response: ok({ n: request.data.n, tries: seen }), isDisposed: true }));
      },
    });
    await replica.flush();
  });

  afterAll(async () => {
    await replica?.close();
  });

  it('answers each write from its second try, which carries the key of the first', async () => {
    const client = await createBusClient({ kind: 'nats', servers: TEST_NATS_URL, prefix }, 'test');
    try {
      const replies = await Promise.all(Array.from({ length: 5 }, (_, n) => client.request(Put, { n }, { timeoutMs: 500 })));
      expect(replies).toEqual(Array.from({ length: 5 }, (_, n) => ok({ n, tries: 2 })));
      expect([...tries.values()]).toEqual([2, 2, 2, 2, 2]);
      expect([...tries.keys()].every((key) => /^[0-9a-f-]{36}$/.test(key))).toBe(true);
    } finally {
      await client.close();
    }
  });
});
