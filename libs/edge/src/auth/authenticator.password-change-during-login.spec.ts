import pino from 'pino';
import { InProcessBroker, InProcessBusClient } from '@davmesh/bus';
import { Authenticate, type User, type UserChange } from '@davmesh/contracts';
import { heldResponder } from '@davmesh/testing';
import { DEFAULT_EDGE_OPTIONS } from '../edge-options';
import { Authenticator, type AuthClient } from './authenticator';

const client: AuthClient = { address: '192.0.2.1', limits: { perLogin: 1000, perAddress: 1000, windowMs: 60_000 } };
const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

/** A directory whose replies the test releases, so a user-changed event can overtake one. */
function heldDirectory(broker: InProcessBroker) {
  const anna = { password: 'old', user: { userId: 1, contextId: 1, login: 'anna', displayName: 'Anna', email: null, enabled: true, version: 1 } as User };
  // The password is checked when the request arrives, against what is stored then.
  const responder = heldResponder<{ login: string; password: string }>(broker, Authenticate.subject, 'config', (data) =>
    data.login === 'anna' && data.password === anna.password && anna.user.enabled
      ? { ok: true, data: { ...anna.user } }
      : { ok: false, error: { code: 'unauthenticated', message: 'bad credentials' } },
  );
  return { anna, ...responder };
}

describe('a user change that arrives while a login is being checked', () => {
  const logger = pino({ level: 'silent' });

  const start = () => {
    const broker = new InProcessBroker();
    return { directory: heldDirectory(broker), authenticator: new Authenticator(new InProcessBusClient(broker), DEFAULT_EDGE_OPTIONS, logger) };
  };

  /** A login with the old password in flight while `change` commits and its user-changed event overtakes the reply. */
  const changeDuringLogin = async (kind: UserChange, change: (anna: ReturnType<typeof heldDirectory>['anna']) => void) => {
    const { directory, authenticator } = start();
    directory.hold();
    const inFlight = authenticator.authenticate(basic('anna', 'old'), client);
    await directory.heldReply();
    change(directory.anna);
    directory.anna.user.version = 2;
    authenticator.cache.onUserChanged({ userId: 1, version: 2, change: kind });
    directory.release();
    return { authenticator, inFlight: await inFlight };
  };

  it('keeps the old password from being remembered: the next request with it is refused', async () => {
    // `user passwd anna`
    const { authenticator, inFlight } = await changeDuringLogin('password-changed', (anna) => (anna.password = 'new'));
    expect(inFlight.kind).toBe('user');

    expect((await authenticator.authenticate(basic('anna', 'old'), client)).kind).toBe('unauthenticated');
    expect((await authenticator.authenticate(basic('anna', 'new'), client)).kind).toBe('user');
  });

  it('keeps a disabled user out the same way', async () => {
    const { authenticator } = await changeDuringLogin('disabled', (anna) => (anna.user.enabled = false));

    expect((await authenticator.authenticate(basic('anna', 'old'), client)).kind).toBe('unauthenticated');
  });

  it('still remembers a login that only the addition of another user overtook', async () => {
    const { directory, authenticator } = start();
    directory.hold();
    const inFlight = authenticator.authenticate(basic('anna', 'old'), client);
    await directory.heldReply();
    authenticator.cache.onUserChanged({ userId: 2, version: 1, change: 'added' });
    directory.release();
    expect((await inFlight).kind).toBe('user');

    expect((await authenticator.authenticate(basic('anna', 'old'), client)).kind).toBe('user');
    expect(directory.requests()).toBe(1);
  });

  it('still remembers a login no change overtook', async () => {
    const { directory, authenticator } = start();
    await authenticator.authenticate(basic('anna', 'old'), client);
    await authenticator.authenticate(basic('anna', 'old'), client);
    expect(directory.requests()).toBe(1);
  });
});
