import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { agentMatches, DomainException } from '@davmesh/contracts';
import { PreconditionSyntaxError, XmlParseError } from '@davmesh/dav';
import { isRequestId, LOGGER, RepeatLimiter, withLogContext, type Logger } from '@davmesh/logging';
import { Authenticator, type AuthClient } from '../auth/authenticator';
import { ServerSettingsService, type ServerSettings } from '../config/server-settings.service';
import { EDGE_OPTIONS, type EdgeOptions } from '../edge-options';
import { DAV_METHODS, type DavMethod } from '../methods/dav-method';
import { resolveResource } from '../resources/resource';
import { requestPrecondition } from './conditional-headers';
import { DavHttpError } from './dav-exchange';
import { STATUS_FOR_ERROR } from './error-status';
import { clientView } from './forwarded';
import { HttpTimeouts } from './http-timeouts';
import { assertDecodablePath, toOriginForm } from './request-target';
import { BodyTooLargeError } from './request-body';

const RETRY_AFTER_SECONDS = '5';

/**
 * Liveness and readiness of an edge process for load balancers and Kubernetes probes:
 * answered before authentication and without the bus, so it only says that this
 * process serves HTTP (200), or that it is stopping (503). No DAV resource lives there,
 * under any prefix.
 */
export const HEALTHZ_PATH = '/healthz';

/** Echoed on every answer; an incoming one is kept when well-formed (isRequestId), else one is made. */
export const REQUEST_ID_RESPONSE_HEADER = 'X-Request-Id';

/** Longest request target written to the access log. */
const LOGGED_PATH_LENGTH = 1024;

/** One request as the access log tells it. */
interface RequestRecord {
  requestId: string;
  startedAt: number;
  /** The socket's byte count when the request began: the answer's bytes are what it grew by. */
  bytesBefore: number;
  /** The socket peer until the trusted proxies are known, then the client behind them. */
  client: string;
  proto?: 'http' | 'https';
  userId?: number;
  login?: string;
  /** A liveness probe: logged at debug, not info. */
  probe?: boolean;
}

/** Resolve the path, authenticate, pick the method handler, map failures to HTTP. */
@Injectable()
export class DavDispatcher implements OnApplicationShutdown {
  /** Per HTTP method, its handlers; each serves its own resource kinds (CardDAV's, CalDAV's). */
  private readonly methods = new Map<string, DavMethod[]>();
  private timeouts?: HttpTimeouts;
  private stopping = false;
  /** Who sent a request and when: refusals are logged once per user (or client) and reason; every request ends in one access line. */
  private readonly records = new WeakMap<IncomingMessage, RequestRecord>();
  private readonly refusals: RepeatLimiter;
  /** What each request's path named, for the request metrics. */
  private readonly kinds = new WeakMap<IncomingMessage, string>();

  constructor(
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(DAV_METHODS) methods: DavMethod[],
    @Inject(EDGE_OPTIONS) private readonly options: EdgeOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {
    for (const method of methods) this.methods.set(method.method, [...(this.methods.get(method.method) ?? []), method]);
    this.refusals = new RepeatLimiter(logger);
  }

  onApplicationShutdown(): void {
    this.refusals.flush();
  }

  /** The server this dispatcher answers on, before it listens: its timeouts follow the server settings. */
  async serveOn(server: Server): Promise<void> {
    this.timeouts = new HttpTimeouts(server);
    try {
      this.timeouts.apply(await this.serverSettings.current());
    } catch (error) {
      this.logger.warn({ err: error }, 'server settings unavailable at start: default HTTP timeouts until the first request');
    }
  }

  /** The resource kind the request's path named, `healthz`, or undefined when it named none (yet). */
  resourceKind(request: IncomingMessage): string | undefined {
    return this.kinds.get(request);
  }

  /** Readiness false: from now on the health path answers 503, so balancers send nothing new here. */
  markStopping(): void {
    this.stopping = true;
  }

  readonly handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const incomingId = request.headers['x-request-id'];
    const record: RequestRecord = {
      requestId: isRequestId(incomingId) ? incomingId : randomUUID(),
      startedAt: performance.now(),
      bytesBefore: request.socket.bytesWritten,
      client: peerAddress(request),
    };
    this.records.set(request, record);
    response.setHeader(REQUEST_ID_RESPONSE_HEADER, record.requestId);
    response.once('close', () => this.finished(request, response, record));
    // Every line logged for this request, here and in the services it asks over the bus, carries its id.
    await withLogContext({ requestId: record.requestId }, async () => {
      try {
        await this.dispatch(request, response, record);
      } catch (error) {
        this.fail(request, response, error);
      }
    });
  };

  /** The one point where an answered (or abandoned) request ends: its access line. */
  private finished(request: IncomingMessage, response: ServerResponse, record: RequestRecord): void {
    const line = {
      requestId: record.requestId,
      method: request.method,
      path: (request.url ?? '').slice(0, LOGGED_PATH_LENGTH),
      status: response.statusCode,
      bytes: request.socket.bytesWritten - record.bytesBefore,
      ms: Math.round((performance.now() - record.startedAt) * 10) / 10,
      user: record.login,
      userId: record.userId,
      client: record.client,
      proto: record.proto,
      ...(response.writableFinished ? {} : { aborted: true }),
    };
    if (record.probe) this.logger.debug(line, 'request');
    else this.logger.info(line, 'request');
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse, record: RequestRecord): Promise<void> {
    toOriginForm(request);
    const method = (request.method ?? 'GET').toUpperCase();
    if ((method === 'GET' || method === 'HEAD') && request.url?.split('?')[0] === HEALTHZ_PATH) {
      this.kinds.set(request, 'healthz');
      record.probe = true;
      const body = this.stopping ? 'stopping\n' : 'ok\n';
      response.writeHead(this.stopping ? 503 : 200, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': String(body.length),
        'Cache-Control': 'no-store',
      });
      response.end(method === 'HEAD' ? undefined : body);
      return;
    }
    const settings = await this.serverSettings.current();
    this.timeouts?.apply(settings);
    const { prefix, proxyPrefix } = settings;
    const client = clientView(request, settings.trustProxy);
    record.client = client.address;
    record.proto = client.proto;
    assertDecodablePath(request.url ?? '/');
    let resource = resolveResource(request.url ?? '/', prefix, proxyPrefix);
    if (!resource && settings.userAgentRouting && agentMatches(settings.userAgentRouting, request.headers['user-agent'])) {
      // The guide's RewriteRule (.*) /servlet/dav$1 for the agents listed: any path is taken as if under the prefix.
      const routed = `${prefix}${request.url ?? '/'}`;
      resource = resolveResource(routed, prefix, proxyPrefix);
      if (resource) request.url = routed;
    }
    if (resource) this.kinds.set(request, resource.kind);
    if (resource?.kind === 'well-known') {
      // RFC 6764 5: the context path, reachable without credentials.
      response.writeHead(301, { Location: `${prefix}/`, 'Content-Length': '0' });
      response.end();
      return;
    }
    const auth = await this.authenticator.authenticate(request.headers.authorization, authClient(client.address, settings));
    if (auth.kind === 'unauthenticated') {
      this.logger.info({ method, url: request.url }, 'unauthenticated request');
      response.writeHead(401, {
        'WWW-Authenticate': `Basic realm="${this.options.realm}", charset="UTF-8"`,
        'Content-Type': 'text/plain; charset=utf-8',
      });
      response.end('Authentication required\n');
      return;
    }
    if (auth.kind === 'throttled') {
      // Logged once per window and key by the limiter, not per request.
      this.logger.debug({ method, url: request.url, retryAfter: auth.retryAfterSeconds }, 'login attempt refused: too many failures');
      response.writeHead(429, { 'Retry-After': String(auth.retryAfterSeconds), 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Too many failed logins; try again later\n');
      return;
    }
    if (auth.kind === 'error') {
      throw new DavHttpError(STATUS_FOR_ERROR[auth.error.code], auth.error.message);
    }
    record.userId = auth.user.userId;
    record.login = auth.user.login;
    if (!resource) throw new DavHttpError(404, 'no such resource');
    const allowed = this.allowedMethods(resource.kind);
    response.setHeader('Allow', allowed.join(', '));
    const handler = this.methods.get(method)?.find((m) => (m.kinds as readonly string[]).includes(resource.kind));
    if (!handler) {
      throw new DavHttpError(405, `${method} is not allowed on this resource`);
    }
    const precondition = requestPrecondition(request, resource, prefix, proxyPrefix);
    await handler.handle({ request, response, resource, user: auth.user, prefix, precondition });
  }

  private allowedMethods(kind: string): string[] {
    const methods = [...this.methods.values()].flat().filter((m) => (m.kinds as readonly string[]).includes(kind));
    return [...new Set(methods.map((m) => m.method))];
  }

  private fail(request: IncomingMessage, response: ServerResponse, error: unknown): void {
    const { status, body, headers, message } = this.describeFailure(request, error);
    const record = this.records.get(request);
    const userId = record?.userId;
    const log = { method: request.method, url: request.url, status, reason: message, userId };
    // 503 is an outage (a service or its database unreachable), logged where it is known; not a bug.
    if (status >= 500 && status !== 503) this.logger.error({ ...log, err: error }, 'request failed');
    else this.refusals.warn(`${userId ?? record?.client}\u0000${status}\u0000${message}`, log, status === 503 ? 'request answered unavailable' : 'request rejected');
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (status === 503) headers['Retry-After'] = RETRY_AFTER_SECONDS;
    response.writeHead(status, {
      ...headers,
      'Content-Type': body ? 'application/xml; charset=utf-8' : 'text/plain; charset=utf-8',
    });
    response.end(body ?? `${message}\n`);
  }

  private describeFailure(request: IncomingMessage, error: unknown): { status: number; body?: string; headers: Record<string, string>; message: string } {
    // The client went away, or Node cut a slow one (408, davmesh.http.*TimeoutMs), while its body was being read.
    if (!request.complete && request.socket.destroyed) return { status: 400, headers: {}, message: 'the connection closed before the request was complete' };
    if (error instanceof DavHttpError) return { status: error.status, body: error.body, headers: { ...error.headers }, message: error.message };
    if (error instanceof XmlParseError || error instanceof PreconditionSyntaxError) return { status: 400, headers: {}, message: error.message };
    if (error instanceof BodyTooLargeError) return { status: 413, headers: {}, message: error.message };
    if (error instanceof DomainException) return { status: STATUS_FOR_ERROR[error.code], headers: {}, message: error.message };
    if (error instanceof URIError) return { status: 400, headers: {}, message: 'malformed percent-encoding' };
    return { status: 500, headers: {}, message: 'internal error' };
  }
}

function peerAddress(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? 'unknown').replace(/^::ffff:(?=\d+\.)/, '');
}

/** `address`: the client behind the trusted proxies (davmesh.http.trustedProxies), else the socket peer. */
function authClient(address: string, settings: ServerSettings): AuthClient {
  const { limits } = settings;
  return {
    address,
    limits: {
      perLogin: limits['davmesh.auth.failedLogins.perLogin'],
      perAddress: limits['davmesh.auth.failedLogins.perAddress'],
      windowMs: limits['davmesh.auth.failedLogins.windowSeconds'] * 1000,
    },
  };
}
