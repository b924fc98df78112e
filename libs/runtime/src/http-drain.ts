import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

export interface HttpDrainResult {
  /** Connections still open at the deadline, cut then. */
  cut: number;
  /** Responses still unfinished at the deadline (on those connections). */
  unfinished: number;
}

/**
 * Stops an HTTP server without failing a client: no new connection is accepted, every
 * request already on a connection is answered, with `Connection: close` from the moment
 * the drain begins so the client opens its next connection elsewhere, and a connection
 * the client keeps idle ends by the server's keep-alive timeout as it always does (the
 * client was told that timeout, so closing it is no surprise). What is left at the
 * deadline is cut. Attach before the server listens.
 */
export class HttpDrain {
  /** Open connections, each with its unfinished responses. */
  private readonly connections = new Map<Socket, Set<ServerResponse>>();
  private draining = false;
  private onEmpty?: () => void;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
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
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.onEmpty = () => {
          clearTimeout(timer);
          resolve();
        };
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
