import { createServer } from 'node:http';
import { CONFIG_KEYS } from '@davmesh/contracts';
import { LIMIT_KEYS, type LimitKey, type ServerSettings } from '../config/server-settings.service';
import { CONNECTIONS_CHECKING_INTERVAL_MS, HttpTimeouts } from './http-timeouts';

const settings = (revision: number, values: Partial<Record<LimitKey, number>>): ServerSettings => ({
  revision,
  prefix: '/dav',
  trustProxy: () => false,
  limits: { ...(Object.fromEntries(LIMIT_KEYS.map((key) => [key, CONFIG_KEYS[key].default])) as Record<LimitKey, number>), ...values },
});

describe('HTTP timeouts of the edge server', () => {
  it('start at the registry defaults, follow each new settings revision, and keep headers due no later than the request', () => {
    const server = createServer();
    const timeouts = new HttpTimeouts(server);
    expect([server.headersTimeout, server.requestTimeout]).toEqual([20_000, 120_000]);
    expect((server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval).toBe(CONNECTIONS_CHECKING_INTERVAL_MS);
    timeouts.apply(settings(1, { 'davmesh.http.headersTimeoutMs': 1000, 'davmesh.http.requestTimeoutMs': 2000 }));
    expect([server.headersTimeout, server.requestTimeout]).toEqual([1000, 2000]);
    timeouts.apply(settings(2, { 'davmesh.http.headersTimeoutMs': 9000, 'davmesh.http.requestTimeoutMs': 5000 }));
    expect([server.headersTimeout, server.requestTimeout]).toEqual([5000, 5000]);
  });
});
