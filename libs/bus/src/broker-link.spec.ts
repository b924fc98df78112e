import { MessageChannel, Worker } from 'node:worker_threads';
import { BrokerLink } from './broker-link';
import { InProcessBroker, NoRespondersError, PayloadTooLargeError } from './in-process-broker';

/** Two brokers joined over a real MessageChannel, as the embedded node's two threads are. */
function linkedPair(maxPayload?: number) {
  const channel = new MessageChannel();
  const left = new InProcessBroker(maxPayload);
  const right = new InProcessBroker(maxPayload);
  const links = [new BrokerLink(left, channel.port1), new BrokerLink(right, channel.port2)];
  return {
    left,
    right,
    /** Both sides have heard of every subscription made so far. */
    async settled() {
      await Promise.all(links.map((link) => link.synced()));
    },
    close() {
      for (const link of links) link.close();
      channel.port1.close();
    },
  };
}

describe('BrokerLink: two in-process brokers as one bus', () => {
  let pair: ReturnType<typeof linkedPair>;
  afterEach(() => pair.close());

  it('answers a request on one side from a subscriber on the other, with its headers', async () => {
    pair = linkedPair();
    pair.right.subscribe('calendar.get', 'calendar', (raw, respond, headers) => respond?.(JSON.stringify({ echoed: JSON.parse(raw), requestId: headers?.['x-request-id'] })));
    await pair.settled();
    const reply = await pair.left.request('calendar.get', '{"uid":"a"}', 5000, { 'x-request-id': 'r1' });
    expect(JSON.parse(reply)).toEqual({ echoed: { uid: 'a' }, requestId: 'r1' });
  });

  it('spreads a queue group round robin over both sides and fans an event out to every plain subscriber of both', async () => {
    pair = linkedPair();
    const seen: string[] = [];
    pair.left.subscribe('work', 'workers', () => seen.push('left worker'));
    pair.right.subscribe('work', 'workers', () => seen.push('right worker'));
    pair.left.subscribe('changed', undefined, () => seen.push('left listener'));
    pair.right.subscribe('changed', undefined, () => seen.push('right listener'));
    await pair.settled();
    for (let i = 0; i < 4; i++) pair.left.publish('work', '{}');
    pair.right.publish('changed', '{}');
    // Deliveries leave on the next turn of each loop, then cross in order: two round trips later all have landed.
    await new Promise((resolve) => setImmediate(resolve));
    await pair.settled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.filter((s) => s === 'left worker')).toHaveLength(2);
    expect(seen.filter((s) => s === 'right worker')).toHaveLength(2);
    expect(seen.filter((s) => s.endsWith('listener')).sort()).toEqual(['left listener', 'right listener']);
  });

  it('gathers one reply from each side of a scatter and keeps a streamed reply open until its last packet', async () => {
    pair = linkedPair();
    pair.left.subscribe('rollcall', undefined, (_raw, respond) => respond?.('"left"'));
    pair.right.subscribe('rollcall', undefined, (_raw, respond) => respond?.('"right"'));
    pair.right.subscribe('stream', 'streamers', (_raw, respond) => {
      respond?.('1', false);
      respond?.('2', false);
      respond?.('3', true);
    });
    await pair.settled();
    const replies: string[] = [];
    let done: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    expect(pair.left.publish('rollcall', '{}', (raw) => replies.push(raw) === 2 && done())).toBe(2);
    await all;
    expect(replies.sort()).toEqual(['"left"', '"right"']);

    const packets: string[] = [];
    await new Promise<void>((resolve) => pair.left.publish('stream', '{}', (raw, final) => packets.push(raw) && final !== false && resolve()));
    expect(packets).toEqual(['1', '2', '3']);
  });

  it('has no responders once the only subscriber on the other side unsubscribes', async () => {
    pair = linkedPair();
    const unsubscribe = pair.right.subscribe('contacts.list', 'contacts', (_raw, respond) => respond?.('[]'));
    await pair.settled();
    await expect(pair.left.request('contacts.list', '{}', 5000)).resolves.toBe('[]');
    unsubscribe();
    await pair.settled();
    await expect(pair.left.request('contacts.list', '{}', 5000)).rejects.toBeInstanceOf(NoRespondersError);
  });

  it('refuses a reply above the bus maximum on the side that sends it, as NATS does', async () => {
    pair = linkedPair(1024);
    const refused: unknown[] = [];
    pair.right.subscribe('big', 'big', (_raw, respond) => {
      try {
        respond?.('x'.repeat(2048));
      } catch (error) {
        refused.push(error);
        respond?.('"too-large"');
      }
    });
    await pair.settled();
    await expect(pair.left.request('big', '{}', 5000)).resolves.toBe('"too-large"');
    expect(refused[0]).toBeInstanceOf(PayloadTooLargeError);
  });

  it('crosses a real worker thread', async () => {
    pair = linkedPair();
    const channel = new MessageChannel();
    const link = new BrokerLink(pair.left, channel.port1);
    // The other thread has no broker of ours: it speaks the link's messages by hand.
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       const port = workerData.port;
       port.on('message', (m) => {
         if (m.t === 'msg') port.postMessage({ t: 'reply', reply: m.reply, raw: JSON.stringify({ doubled: JSON.parse(m.raw) * 2 }), final: true });
         if (m.t === 'ping') port.postMessage({ t: 'pong', id: m.id });
       });
       port.postMessage({ t: 'sub', id: 1, subject: 'double', queue: 'doublers' });`,
      { eval: true, workerData: { port: channel.port2 }, transferList: [channel.port2] },
    );
    try {
      await link.synced();
      expect(JSON.parse(await pair.left.request('double', '21', 5000))).toEqual({ doubled: 42 });
    } finally {
      link.close();
      await worker.terminate();
    }
  });
});
