import { type IncomingMessage, type ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { DomainException } from '@davmesh/contracts';
import { XmlParseError } from '@davmesh/dav';
import { LOGGER, type Logger } from '@davmesh/logging';
import { Authenticator } from '../auth/authenticator';
import { ServerSettingsService } from '../config/server-settings.service';
import { EDGE_OPTIONS, type EdgeOptions } from '../edge-options';
import { DAV_METHODS, type DavMethod } from '../methods/dav-method';
import { resolveResource } from '../resources/resource';
import { DavHttpError } from './dav-exchange';
import { STATUS_FOR_ERROR } from './error-status';
import { BodyTooLargeError } from './request-body';

const RETRY_AFTER_SECONDS = '5';

/**
 * Liveness and readiness of an edge process for load balancers and Kubernetes probes:
 * answered before authentication and without the bus, so it only says that this
 * process serves HTTP. No DAV resource lives there, under any prefix.
 */
export const HEALTHZ_PATH = '/healthz';

/** Resolve the path, authenticate, pick the method handler, map failures to HTTP. */
@Injectable()
export class DavDispatcher {
  /** Per HTTP method, its handlers; each serves its own resource kinds (CardDAV's, CalDAV's). */
  private readonly methods = new Map<string, DavMethod[]>();

  constructor(
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(DAV_METHODS) methods: DavMethod[],
    @Inject(EDGE_OPTIONS) private readonly options: EdgeOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {
    for (const method of methods) this.methods.set(method.method, [...(this.methods.get(method.method) ?? []), method]);
  }

  readonly handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      await this.dispatch(request, response);
    } catch (error) {
      this.fail(request, response, error);
    }
  };

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    if ((method === 'GET' || method === 'HEAD') && request.url?.split('?')[0] === HEALTHZ_PATH) {
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '3', 'Cache-Control': 'no-store' });
      response.end(method === 'HEAD' ? undefined : 'ok\n');
      return;
    }
    const { prefix, proxyPrefix } = await this.serverSettings.current();
    const resource = resolveResource(request.url ?? '/', prefix, proxyPrefix);
    if (resource?.kind === 'well-known') {
      // RFC 6764 5: the context path, reachable without credentials.
      response.writeHead(301, { Location: `${prefix}/`, 'Content-Length': '0' });
      response.end();
      return;
    }
    const auth = await this.authenticator.authenticate(request.headers.authorization);
    if (auth.kind === 'unauthenticated') {
      this.logger.info({ method, url: request.url }, 'unauthenticated request');
      response.writeHead(401, {
        'WWW-Authenticate': `Basic realm="${this.options.realm}", charset="UTF-8"`,
        'Content-Type': 'text/plain; charset=utf-8',
      });
      response.end('Authentication required\n');
      return;
    }
    if (auth.kind === 'error') {
      throw new DavHttpError(STATUS_FOR_ERROR[auth.error.code], auth.error.message);
    }
    if (!resource) throw new DavHttpError(404, 'no such resource');
    const allowed = this.allowedMethods(resource.kind);
    response.setHeader('Allow', allowed.join(', '));
    const handler = this.methods.get(method)?.find((m) => (m.kinds as readonly string[]).includes(resource.kind));
    if (!handler) {
      throw new DavHttpError(405, `${method} is not allowed on this resource`);
    }
    await handler.handle({ request, response, resource, user: auth.user, prefix });
  }

  private allowedMethods(kind: string): string[] {
    const methods = [...this.methods.values()].flat().filter((m) => (m.kinds as readonly string[]).includes(kind));
    return [...new Set(methods.map((m) => m.method))];
  }

  private fail(request: IncomingMessage, response: ServerResponse, error: unknown): void {
    const { status, body, headers, message } = this.describeFailure(error);
    const log = { method: request.method, url: request.url, status, reason: message };
    if (status >= 500) this.logger.error({ ...log, err: error }, 'request failed');
    else this.logger.warn(log, 'request rejected');
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

  private describeFailure(error: unknown): { status: number; body?: string; headers: Record<string, string>; message: string } {
    if (error instanceof DavHttpError) return { status: error.status, body: error.body, headers: { ...error.headers }, message: error.message };
    if (error instanceof XmlParseError) return { status: 400, headers: {}, message: error.message };
    if (error instanceof BodyTooLargeError) return { status: 413, headers: {}, message: error.message };
    if (error instanceof DomainException) return { status: STATUS_FOR_ERROR[error.code], headers: {}, message: error.message };
    return { status: 500, headers: {}, message: 'internal error' };
  }
}
