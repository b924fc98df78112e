import { connect, type NatsConnection } from 'nats';

/**
 * The one NATS connection of a process: the microservice transports and the bus clients of
 * every role in it share it, and only its owner closes it, once, after they have stopped.
 * Its name (`<name>:<pid>`) shows in the server's monitoring (`/connz`), one per process.
 */
export class SharedNatsConnection {
  private connecting?: Promise<NatsConnection>;
  private closing?: Promise<void>;

  constructor(
    readonly servers: string,
    readonly name: string,
  ) {}

  /** Connects on first use; every later call gets the same connection. */
  connection(): Promise<NatsConnection> {
    if (this.closing) return Promise.reject(new Error('the NATS connection of this process is closed'));
    this.connecting ??= connect({
      servers: this.servers,
      name: `${this.name}:${process.pid}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    return this.connecting;
  }

  /** Flushes what was published and closes; later calls wait for the same close. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    if (!this.connecting) return;
    const connection = await this.connecting.catch(() => undefined);
    if (!connection || connection.isClosed()) return;
    // Drain: the subscriptions left (reply inboxes) are drained, publishes flushed, then closed.
    if (!connection.isDraining()) await connection.drain();
    await connection.closed();
  }
}
