import pino from 'pino';
import { InProcessBroker, InProcessBusClient } from '@davmesh/bus';
import { Authenticate, type User } from '@davmesh/contracts';
import { DEFAULT_EDGE_OPTIONS } from '../edge-options';
import { Authenticator, type AuthClient } from './authenticator';

const client: AuthClient = { address: '192.0.2.1', limits: { perLogin: 1000, perAddress: 1000, windowMs: 60_000 } };
const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

/** A directory whose replies the test releases, so a user-changed event can overtake one. */
function heldDirectory(broker: InProcessBroker) {
  const anna = { password: 'old', user: { userId: 1, contextId: 1, login: 'anna', displayName: 'Anna', email: null, enabled: true, version: 1 } as User };
  const held: (() => void)[] = [];
  let holding = false;
  let checks = 0;
  broker.subscribe(Authenticate.subject, 'config', (raw, respond) => {
    const { id, data } = JSON.parse(raw) as { id: string; data: { login: string; password: string } };
    checks++;
    // The password is checked now, against what is stored now; only the reply's delivery waits.
    const response =
      data.login === 'anna' && data.password === anna.password && anna.user.enabled
        ? { ok: true, data: { ...anna.user } }
        : { ok: false, error: { code: 'unauthenticated', message: 'bad credentials' } };
    const send = () => respond?.(JSON.stringify({ id, response, isDisposed: true }));
    if (holding) held.push(send);
    else send();
  });
  return {
    anna,
    checks: () => checks,
    hold: () => void (holding = true),
    async heldReply(): Promise<void> {
      while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    },
    release: () => {
      holding = false;
      for (const send of held.splice(0)) send();
    },
  };
}

describe('a user change that arrives while a login is being checked', () => {
  const logger = pino({ level: 'silent' });

  it('keeps the old password from being remembered: the next request with it is refused', async () => {
    const broker = new InProcessBroker();
    const directory = heldDirectory(broker);
    const authenticator = new Authenticator(new InProcessBusClient(broker), DEFAULT_EDGE_OPTIONS, logger);

    directory.hold();
    const inFlight = authenticator.authenticate(basic('anna', 'old'), client);
    await directory.heldReply();
    // `user passwd anna` commits and its user-changed event reaches this edge before the reply does.
    directory.anna.password = 'new';
    directory.anna.user.version = 2;
    authenticator.cache.evictUser(1, 2);
    directory.release();
    expect((await inFlight).kind).toBe('user');

    expect((await authenticator.authenticate(basic('anna', 'old'), client)).kind).toBe('unauthenticated');
    expect((await authenticator.authenticate(basic('anna', 'new'), client)).kind).toBe('user');
  });

  it('keeps a disabled user out the same way', async () => {
    const broker = new InProcessBroker();
    const directory = heldDirectory(broker);
    const authenticator = new Authenticator(new InProcessBusClient(broker), DEFAULT_EDGE_OPTIONS, logger);

    directory.hold();
    const inFlight = authenticator.authenticate(basic('anna', 'old'), client);
    await directory.heldReply();
    directory.anna.user.enabled = false;
    directory.anna.user.version = 2;
    authenticator.cache.evictUser(1, 2);
    directory.release();
    await inFlight;

    expect((await authenticator.authenticate(basic('anna', 'old'), client)).kind).toBe('unauthenticated');
  });

  it('still remembers a login no change overtook', async () => {
    const broker = new InProcessBroker();
    const directory = heldDirectory(broker);
    const authenticator = new Authenticator(new InProcessBusClient(broker), DEFAULT_EDGE_OPTIONS, logger);
    await authenticator.authenticate(basic('anna', 'old'), client);
    await authenticator.authenticate(basic('anna', 'old'), client);
    expect(directory.checks()).toBe(1);
  });
});
