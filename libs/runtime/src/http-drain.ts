import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';

export interface HttpDrainResult {
  /** Connections still open at the deadline, cut then. */
  cut: number;
  /** Responses still unfinished at the deadline (on those connections). */
  unfinished: number;
}

/**
 * A kept-alive connection idle this long after the drain began is closed: a client busy on
 * it has sent its next request by then (and is answered, with `Connection: close`).
 */
const IDLE_LINGER_MS = 1000;
const IDLE_SWEEP_MS = 100;

/**
 * Stops an HTTP server without failing a client: no new connection is accepted, every
 * request already on a connection is answered, with `Connection: close` from the moment
 * the drain begins so the client opens its next connection elsewhere, and a connection
 * the client keeps idle is closed after a second (not at once: a client may be sending
 * on it right now). What is left at the deadline is cut. Attach before the server listens.
 */
export class HttpDrain {
  /** Open connections, each with its unfinished responses. */
  private readonly connections = new Map<Socket, Set<ServerResponse>>();
  private draining = false;
  private onEmpty?: () => void;

  constructor(private readonly server: Server) {
    // Behind TLS, requests arrive on the TLS socket, made once the handshake is done.
    server.on(server instanceof TlsServer ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.connections.set(socket, new Set());
      socket.once('close', () => {
        this.connections.delete(socket);
        if (this.connections.size === 0) this.onEmpty?.();
      });
    });
    // First listener: the application's handler writes headers only after this ran.
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      const unfinished = this.connections.get(request.socket);
      unfinished?.add(response);
      if (this.draining) response.shouldKeepAlive = false;
      response.once('close', () => unfinished?.delete(response));
    });
  }

  async drain(deadline: number): Promise<HttpDrainResult> {
    this.draining = true;
    // net.Server's close: stop listening only. http.Server's own close() would also end the
    // idle keep-alive connections at once, racing a client that is just sending on one.
    NetServer.prototype.close.call(this.server);
    for (const responses of this.connections.values()) {
      for (const response of responses) if (!response.headersSent) response.shouldKeepAlive = false;
    }
    if (this.connections.size > 0) {
      const lingerEnd = Date.now() + IDLE_LINGER_MS;
      await new Promise<void>((resolve) => {
        // Node knows which connections are between requests (not even reading headers).
        const sweep = setInterval(() => Date.now() >= lingerEnd && this.server.closeIdleConnections(), IDLE_SWEEP_MS);
        const done = () => {
          clearInterval(sweep);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
        this.onEmpty = done;
      });
    }
    const result: HttpDrainResult = {
      cut: this.connections.size,
      unfinished: [...this.connections.values()].reduce((n, responses) => n + responses.size, 0),
    };
    for (const socket of this.connections.keys()) socket.destroy();
    return result;
  }
}
