import { basicAuth } from '@davmesh/testing';
import { type EmbeddedServer } from './caldav-test-server';
import { rawRequest, startServerWithConfig } from './raw-http.fixture';

const WINDOW_SECONDS = 2;

describe('failed logins are limited per login and per client address', () => {
  let server: EmbeddedServer;

  beforeAll(async () => {
    server = await startServerWithConfig({
      'davmesh.auth.failedLogins.perLogin': 3,
      'davmesh.auth.failedLogins.perAddress': 6,
      'davmesh.auth.failedLogins.windowSeconds': WINDOW_SECONDS,
    });
    for (const login of ['anna', 'bob', 'carol', 'dave']) await server.addUser(login, `${login}-pw`);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  /** A PROPFIND on the calendar home as `login`, from `address` (any 127.x.y.z reaches the loopback server). */
  const attempt = async (login: string, password: string, address = '127.0.0.1') => {
    const started = Date.now();
    const { status, text } = await rawRequest(server.url, ['PROPFIND /dav/caldav/ HTTP/1.1', 'Host: localhost', 'Depth: 0', `Authorization: ${basicAuth(login, password)}`], '', address);
    const retryAfter = /\r\nRetry-After: (\d+)\r\n/i.exec(text)?.[1];
    return { status, retryAfter: retryAfter === undefined ? undefined : Number(retryAfter), ms: Date.now() - started };
  };

  it('refuses the 4th attempt on a login with 429 and Retry-After, without checking it; others log in until the address is over its limit', async () => {
    expect((await attempt('anna', 'anna-pw')).status).toBe(207); // remembered from now on
    for (let i = 0; i < 3; i++) expect((await attempt('demo', `wrong-${i}`)).status).toBe(401);

    const refused = await attempt('demo', 'wrong-3');
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    // The per-login lock holds for the right password too, from any address.
    expect((await attempt('demo', 'demo')).status).toBe(429);
    expect((await attempt('demo', 'demo', '127.0.0.2')).status).toBe(429);

    // Another login on the same address: served, until the address has spent its 6 attempts.
    expect((await attempt('bob', 'bob-pw')).status).toBe(207);
    expect((await attempt('carol', 'wrong')).status).toBe(401);
    expect((await attempt('dave', 'wrong')).status).toBe(401);
    expect((await attempt('carol', 'wrong')).status).toBe(401);
    const addressOver = await attempt('dave', 'dave-pw');
    expect(addressOver.status).toBe(429);
    // A login remembered from before keeps working from that address, and other addresses are not locked.
    expect((await attempt('anna', 'anna-pw')).status).toBe(207);
    expect((await attempt('dave', 'dave-pw', '127.0.0.2')).status).toBe(207);

    // Once the window the server named has passed, the right password works again.
    const waitSeconds = Math.max(refused.retryAfter!, addressOver.retryAfter!);
    await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000 + 50));
    expect((await attempt('demo', 'demo')).status).toBe(207);
  }, 20_000);

  it('answers a burst of wrong passwords for a locked login with 429 quickly, in parallel', async () => {
    for (let i = 0; i < 3; i++) await attempt('carol', 'wrong', '127.0.0.3');
    const started = Date.now();
    const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => attempt('carol', `guess-${i}`, '127.0.0.4')));
    expect(burst.map((r) => r.status)).toEqual(Array(50).fill(429));
    // 50 scrypt runs (16 MiB, tens of ms each) would take seconds on two cores.
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
