import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BusClient } from '@davmesh/bus';
import { Authenticate, ContextsAdd, UsersAdd, UsersFindByEmail, UsersGet, UsersList, UsersUpdate } from '@davmesh/contracts';
import { startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';
import { checkSetting } from '../cascade/value-validation';
import { ConfigServiceModule } from '../config-service.module';

describe('directory: the default address of users without one (davmesh.scheduling.defaultEmailDomain)', () => {
  let harness: ServiceHarness;
  let bus: BusClient;
  let configDir: string;

  beforeAll(async () => {
    configDir = mkdtempSync(join(tmpdir(), 'davmesh-default-email-'));
    writeFileSync(join(configDir, 'scheduling.properties'), 'davmesh.scheduling.defaultEmailDomain = Mail.Example.NET\n');
    harness = await startServiceHarness('config', (storage) => ConfigServiceModule.register(storage, { configDir, pollMs: 60_000 }));
    bus = harness.bus;
    await bus.call(ContextsAdd, { contextId: 1 });
    await bus.call(ContextsAdd, { contextId: 2 });
  });

  afterAll(async () => {
    await harness.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('gives a user without an address <login>@<domain> in lower case, everywhere a user is answered', async () => {
    const added = await bus.call(UsersAdd, { login: 'Greta', password: 'pw', contextId: 1 });
    expect(added.email).toBe('greta@mail.example.net');
    expect((await bus.call(UsersGet, { userId: added.userId })).email).toBe('greta@mail.example.net');
    expect((await bus.call(Authenticate, { login: 'greta', password: 'pw' })).email).toBe('greta@mail.example.net');
    expect((await bus.call(UsersList, { contextId: 1 })).find((u) => u.userId === added.userId)?.email).toBe('greta@mail.example.net');
  });

  it('keeps a stored address, falls back to the default when it is removed, and a login that is an address is its own', async () => {
    const hans = await bus.call(UsersAdd, { login: 'hans', password: 'pw', contextId: 1, email: 'Hans.Meier@example.org' });
    expect(hans.email).toBe('Hans.Meier@example.org');
    expect((await bus.call(UsersUpdate, { login: 'hans', email: null })).email).toBe('hans@mail.example.net');
    expect((await bus.call(UsersAdd, { login: 'ida@elsewhere.example', password: 'pw', contextId: 1 })).email).toBe('ida@elsewhere.example');
  });

  it('finds users of one context by stored or default address, in any case, and none of another context', async () => {
    const jan = await bus.call(UsersAdd, { login: 'jan', password: 'pw', contextId: 1, email: 'jan@example.org' });
    const karl = await bus.call(UsersAdd, { login: 'karl', password: 'pw', contextId: 1 });
    const lena = await bus.call(UsersAdd, { login: 'lena', password: 'pw', contextId: 2 });
    const found = await bus.call(UsersFindByEmail, {
      contextId: 1,
      emails: ['JAN@example.org', 'karl@MAIL.example.net', 'lena@mail.example.net', 'jan@mail.example.net', 'nobody@example.org'],
    });
    // jan has an address of his own: his default one is nobody's.
    expect(found.map((u) => [u.userId, u.email])).toEqual([
      [jan.userId, 'jan@example.org'],
      [karl.userId, 'karl@mail.example.net'],
    ]);
    expect((await bus.call(UsersFindByEmail, { contextId: 2, emails: ['lena@mail.example.net'] })).map((u) => u.userId)).toEqual([lena.userId]);
    // Without a context, every context's users: how incoming iMIP finds a mail's recipients.
    const anywhere = await bus.call(UsersFindByEmail, { emails: ['jan@example.org', 'Lena@Mail.Example.NET', 'nobody@example.org'] });
    expect(anywhere.map((u) => u.userId)).toEqual([jan.userId, lena.userId]);
  });

  it('refuses a domain that is not one, and takes one at server level only', () => {
    expect(checkSetting('davmesh.scheduling.defaultEmailDomain', 'not a domain', 'server')).toMatchObject({ ok: false });
    expect(checkSetting('davmesh.scheduling.defaultEmailDomain', 'Example.ORG', 'server')).toEqual({ ok: true, key: 'davmesh.scheduling.defaultEmailDomain', value: 'example.org' });
    expect(checkSetting('davmesh.scheduling.defaultEmailDomain', 'example.org', 'context')).toMatchObject({ ok: false });
  });
});
