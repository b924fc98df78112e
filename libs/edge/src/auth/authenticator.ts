import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { Authenticate, type DomainError, type User } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { EDGE_OPTIONS, type EdgeOptions } from '../edge-options';
import { AuthCache } from './auth-cache';
import { parseBasicAuthorization } from './basic-credentials';
import { FailedLoginLimiter, type FailedLoginLimits } from './failed-login-limiter';

export type AuthOutcome =
  | { kind: 'user'; user: User }
  | { kind: 'unauthenticated' }
  /** Too many failed logins for this login or from this address: refused without checking the password. */
  | { kind: 'throttled'; retryAfterSeconds: number }
  | { kind: 'error'; error: DomainError };

/** Who is asking: the socket's address, and the server's failed-login limits at the moment. */
export interface AuthClient {
  address: string;
  limits: FailedLoginLimits;
}

@Injectable()
export class Authenticator {
  readonly cache: AuthCache;
  readonly limiter = new FailedLoginLimiter();

  constructor(
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(EDGE_OPTIONS) options: EdgeOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.cache = new AuthCache(options.authCacheTtlMs);
  }

  async authenticate(authorization: string | undefined, client: AuthClient): Promise<AuthOutcome> {
    const credentials = parseBasicAuthorization(authorization);
    if (!credentials) return { kind: 'unauthenticated' };
    const cached = this.cache.get(credentials.login, credentials.password);
    if (cached) return { kind: 'user', user: cached };
    const refused = this.limiter.admit(credentials.login, client.address, client.limits);
    if (refused) return { kind: 'throttled', ...refused };
    const checkedAt = this.cache.mark();
    const reply = await this.bus.request(Authenticate, credentials);
    if (reply.ok) {
      this.limiter.succeeded(credentials.login, client.address);
      this.cache.put(credentials.login, credentials.password, reply.data, checkedAt);
      return { kind: 'user', user: reply.data };
    }
    if (reply.error.code === 'unauthenticated' || reply.error.code === 'bad-request') {
      for (const lockout of this.limiter.failed(credentials.login, client.address, client.limits)) {
        this.logger.warn(lockout, 'too many failed logins: refusing further attempts until the window ends');
      }
      return { kind: 'unauthenticated' };
    }
    this.limiter.undecided(credentials.login, client.address);
    return { kind: 'error', error: reply.error };
  }
}
