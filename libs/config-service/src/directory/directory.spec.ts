import { type PGlite } from '@electric-sql/pglite';
import { type BusClient, type InProcessBroker } from '@davmesh/bus';
import {
  Authenticate,
  ContextsAdd,
  UserChanged,
  UsersAdd,
  UsersFindByLogin,
  UsersList,
  UsersSetEnabled,
  UsersSetPassword,
  UsersUpdate,
  type UserChangedEvent,
} from '@davmesh/contracts';
import { ConfigServiceModule } from '../config-service.module';
import { waitFor } from '@davmesh/testing';
import { startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';

describe('directory (config service on embedded storage)', () => {
  let harness: ServiceHarness;
  let db: PGlite;
  let bus: BusClient;
  let broker: InProcessBroker;
  const events: UserChangedEvent[] = [];

  beforeAll(async () => {
    harness = await startServiceHarness('config', (storage) =>
      ConfigServiceModule.register(storage, { configDir: '/nonexistent/davmesh-config', pollMs: 60_000 }),
    );
    ({ db, bus, broker } = harness);
    broker.subscribe(UserChanged.subject, undefined, (raw) => events.push((JSON.parse(raw) as { data: UserChangedEvent }).data));
    await bus.call(ContextsAdd, { contextId: 1, name: 'one', tags: ['ucInfostore'] });
    await bus.call(ContextsAdd, { contextId: 2 });
  });

  afterAll(() => harness.close());

  it('adds a user, finds them by login in any case, and announces it', async () => {
    const anna = await bus.call(UsersAdd, { login: 'anna', password: 'pw-anna', contextId: 1, email: 'anna@example.org' });
    expect(anna).toMatchObject({ login: 'anna', contextId: 1, displayName: 'anna', enabled: true, version: 1 });
    expect((await bus.call(UsersFindByLogin, { login: 'ANNA' })).userId).toBe(anna.userId);
    await waitFor(() => events.some((e) => e.userId === anna.userId && e.change === 'added'));
  });

  it('refuses a second user with the same login, whatever its case', async () => {
    const reply = await bus.request(UsersAdd, { login: 'Anna', password: 'x', contextId: 2 });
    expect(!reply.ok && reply.error.code).toBe('conflict');
    expect((await bus.call(UsersList, { contextId: 2 })).map((u) => u.login)).not.toContain('Anna');
  });

  it('refuses a user in a context that does not exist', async () => {
    const reply = await bus.request(UsersAdd, { login: 'ghost', password: 'x', contextId: 99 });
    expect(!reply.ok && reply.error.code).toBe('not-found');
  });

  it('refuses a duplicate context id', async () => {
    const reply = await bus.request(ContextsAdd, { contextId: 1 });
    expect(!reply.ok && reply.error.code).toBe('conflict');
  });

  it('authenticates the right password and fails every wrong part with the same error', async () => {
    await bus.call(UsersAdd, { login: 'bert', password: 'right', contextId: 1 });
    expect((await bus.call(Authenticate, { login: 'bert', password: 'right' })).login).toBe('bert');
    const wrongPassword = await bus.request(Authenticate, { login: 'bert', password: 'wrong' });
    const unknownUser = await bus.request(Authenticate, { login: 'nobody', password: 'right' });
    await bus.call(UsersAdd, { login: 'carl', password: 'right', contextId: 1 });
    await bus.call(UsersSetEnabled, { login: 'carl', enabled: false });
    const disabled = await bus.request(Authenticate, { login: 'carl', password: 'right' });
    expect(wrongPassword).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'invalid credentials' } });
    expect(unknownUser).toEqual(wrongPassword);
    expect(disabled).toEqual(wrongPassword);
  });

  it('changes a password: the old one fails, the new one works, the version rises and the change is announced', async () => {
    const before = await bus.call(UsersAdd, { login: 'dora', password: 'old', contextId: 1 });
    const after = await bus.call(UsersSetPassword, { login: 'dora', password: 'new' });
    expect(after.version).toBe(before.version + 1);
    expect((await bus.request(Authenticate, { login: 'dora', password: 'old' })).ok).toBe(false);
    expect((await bus.request(Authenticate, { login: 'dora', password: 'new' })).ok).toBe(true);
    await waitFor(() => events.some((e) => e.login === 'dora' && e.change === 'password-changed' && e.version === after.version));
  });

  it('renames a user and changes their e-mail, keeping what was not given, and announces it', async () => {
    const before = await bus.call(UsersAdd, { login: 'erik', password: 'x', contextId: 1, email: 'erik@example.org' });
    const renamed = await bus.call(UsersUpdate, { login: 'erik', displayName: 'Erik the Red' });
    expect(renamed).toMatchObject({ displayName: 'Erik the Red', email: 'erik@example.org', version: before.version + 1 });
    const unmailed = await bus.call(UsersUpdate, { login: 'erik', email: null });
    expect(unmailed).toMatchObject({ displayName: 'Erik the Red', email: null });
    expect((await bus.request(Authenticate, { login: 'erik', password: 'x' })).ok).toBe(true);
    await waitFor(() => events.some((e) => e.login === 'erik' && e.change === 'updated' && e.version === unmailed.version));
    expect((await bus.request(UsersUpdate, { login: 'erik' })).ok).toBe(false);
  });

  it('never stores the password in clear', async () => {
    const rows: { password_hash: string }[] = (await db.query(`SELECT password_hash FROM config.users WHERE login = 'bert'`)).rows as never;
    expect(rows[0].password_hash).toMatch(/^scrypt\$/);
    expect(rows[0].password_hash).not.toContain('right');
  });
});
