import { type Server } from 'node:http';
import { CONFIG_KEYS } from '@davmesh/contracts';
import { type ServerSettings } from '../config/server-settings.service';

/**
 * How often Node looks for connections past their header or request timeout (its default
 * is 30 s): a slow client is cut between timeout and timeout + this. Node reads it only
 * when the server starts listening, so it is fixed; half a second is precise enough for the
 * shortest timeout the registry allows (1 s) and cheap for tens of thousands of sockets.
 */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 500;

/**
 * davmesh.http.headersTimeoutMs and requestTimeoutMs on the edge's HTTP server: a client that
 * trickles its headers or body is answered 408 and disconnected by Node. Applied at start
 * with the registry's defaults and again whenever the server settings change revision.
 */
export class HttpTimeouts {
  private appliedRevision?: number;

  /** Call before the server listens. */
  constructor(private readonly server: Server) {
    // A constructor option in @types/node, but Node reads the property when listening starts.
    (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = CONNECTIONS_CHECKING_INTERVAL_MS;
    this.set(CONFIG_KEYS['davmesh.http.headersTimeoutMs'].default, CONFIG_KEYS['davmesh.http.requestTimeoutMs'].default);
  }

  apply(settings: ServerSettings): void {
    if (settings.revision === this.appliedRevision) return;
    this.appliedRevision = settings.revision;
    this.set(settings.limits['davmesh.http.headersTimeoutMs'], settings.limits['davmesh.http.requestTimeoutMs']);
  }

  private set(headersTimeoutMs: number, requestTimeoutMs: number): void {
    this.server.requestTimeout = requestTimeoutMs;
    // Node expects the headers to be due no later than the whole request.
    this.server.headersTimeout = Math.min(headersTimeoutMs, requestTimeoutMs);
  }
}
