import { type Socket } from 'node:net';
import { connect, type NatsConnection } from 'nats';
import { describeWithInfrastructure, TEST_NATS_URL } from '@davmesh/testing';
import { flushOncePerTurn } from './nats-write-batching';

/** Counts the writes on the connection's socket: each one a system call, the cost this saves. */
function countWrites(connection: NatsConnection): () => number {
  const socket = (connection as unknown as { protocol: { transport: { socket: Socket } } }).protocol.transport.socket;
  let writes = 0;
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((...args: unknown[]) => {
    writes++;
    return write(...args);
  }) as Socket['write'];
  return () => writes;
}

describeWithInfrastructure('NATS writes once per turn of the event loop', () => {
  let connection: NatsConnection;

  beforeAll(async () => {
    connection = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await connection?.close();
  });

  it('sends what twenty callbacks of one turn publish in one write, and all of it arrives', async () => {
    expect(flushOncePerTurn(connection)).toBe(true);
    const writes = countWrites(connection);
    const subject = `write-batching.${process.pid}.${Date.now()}`;
    const received: string[] = [];
    const subscription = connection.subscribe(subject, { callback: (_error, message) => received.push(message.string()) });
    await connection.flush();

    const before = writes();
    // Twenty callbacks of one check phase, as twenty HTTP requests read in one turn would be.
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 20; i++) setImmediate(() => connection.publish(subject, `m${i}`));
      setImmediate(resolve);
    });
    await connection.flush();
    // Without the batching each callback's microtask writes its own publish: 20 writes, and the PING's.
    expect(writes() - before).toBeLessThanOrEqual(2);
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    subscription.unsubscribe();
  });
});
