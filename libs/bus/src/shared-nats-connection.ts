import { connect, ErrorCode, Events, type NatsConnection, type NatsError } from 'nats';
import { type NatsSecurity } from './nats-security';
import { flushOncePerTurn } from './nats-write-batching';

/**
 * The one NATS connection of a process: the microservice transports and the bus clients of
 * every role in it share it, and only its owner closes it, once, after they have stopped.
 * Its name (`<name>:<pid>`) shows in the server's monitoring (`/connz`), one per process.
 */
export class SharedNatsConnection {
  private connecting?: Promise<NatsConnection>;
  private closing?: Promise<void>;
  private disconnected = false;
  /** How often the connection came back after it dropped. */
  reconnects = 0;

  constructor(
    readonly servers: string,
    readonly name: string,
    private readonly security: NatsSecurity = {},
  ) {}

  /** Connects on first use; every later call gets the same connection. */
  connection(): Promise<NatsConnection> {
    if (this.closing) return Promise.reject(new Error('the NATS connection of this process is closed'));
    this.connecting ??= connect({
      ...this.security,
      servers: this.servers,
      name: `${this.name}:${process.pid}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // Else every request and its timer capture a stack trace (an Error each), 5% of an edge's CPU
      // under load; a timed-out request is answered `unavailable` from its code, never its stack.
      noAsyncTraces: true,
    })
      .catch((error: unknown) => {
        throw new Error(`cannot connect to NATS at ${this.servers}: ${explainConnectError(error as NatsError)}`, { cause: error });
      })
      .then((connection) => {
        flushOncePerTurn(connection);
        void this.follow(connection);
        return connection;
      });
    return this.connecting;
  }

  /** Connected now: opened, not dropped (or back since), not closed. */
  async isConnected(): Promise<boolean> {
    const connection = this.connecting && (await this.connecting.catch(() => undefined));
    return connection !== undefined && !connection.isClosed() && !this.disconnected;
  }

  private async follow(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === Events.Disconnect) this.disconnected = true;
      if (status.type === Events.Reconnect) {
        this.disconnected = false;
        this.reconnects++;
      }
    }
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

/** nats.js names its failures by code; an operator needs to know which setting to look at. */
function explainConnectError(error: NatsError): string {
  switch (error.code) {
    case ErrorCode.AuthorizationViolation:
    case ErrorCode.AuthenticationExpired:
      return 'the server refused the credentials (check NATS_USER/NATS_PASSWORD, NATS_NKEY_SEED_FILE or NATS_CREDS_FILE)';
    case ErrorCode.ConnectionRefused:
      return 'connection refused';
    case ErrorCode.Timeout:
      // A TLS 1.3 server that wants a client certificate drops a client without one after the handshake.
      return 'no answer in time (a server that requires client certificates wants NATS_TLS_CERT and NATS_TLS_KEY)';
    default:
      return error.message;
  }
}
