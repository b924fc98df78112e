import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { Authenticate, type DomainError, type User } from '@davmesh/contracts';
import { EDGE_OPTIONS, type EdgeOptions } from '../edge-options';
import { AuthCache } from './auth-cache';
import { parseBasicAuthorization } from './basic-credentials';

export type AuthOutcome = { kind: 'user'; user: User } | { kind: 'unauthenticated' } | { kind: 'error'; error: DomainError };

@Injectable()
export class Authenticator {
  readonly cache: AuthCache;

  constructor(
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(EDGE_OPTIONS) options: EdgeOptions,
  ) {
    this.cache = new AuthCache(options.authCacheTtlMs);
  }

  async authenticate(authorization: string | undefined): Promise<AuthOutcome> {
    const credentials = parseBasicAuthorization(authorization);
    if (!credentials) return { kind: 'unauthenticated' };
    const cached = this.cache.get(credentials.login, credentials.password);
    if (cached) return { kind: 'user', user: cached };
    const reply = await this.bus.request(Authenticate, credentials);
    if (reply.ok) {
      this.cache.put(credentials.login, credentials.password, reply.data);
      return { kind: 'user', user: reply.data };
    }
    if (reply.error.code === 'unauthenticated' || reply.error.code === 'bad-request') return { kind: 'unauthenticated' };
    return { kind: 'error', error: reply.error };
  }
}
