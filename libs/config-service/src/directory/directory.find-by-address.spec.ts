import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BusClient } from '@davmesh/bus';
import { ContextsAdd, UsersAdd, UsersFindByAddress, type User } from '@davmesh/contracts';
import { startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';
import { ConfigServiceModule } from '../config-service.module';

describe('directory: who a calendar user address is (users.find-by-address: mailto: and principal URLs)', () => {
  let harness: ServiceHarness;
  let bus: BusClient;
  let configDir: string;
  let mia: User;
  let noah: User;
  let olaf: User;

  beforeAll(async () => {
    configDir = mkdtempSync(join(tmpdir(), 'davmesh-find-by-address-'));
    // DAV served under /groupware, and reached through a proxy under /cal as well.
    writeFileSync(join(configDir, 'dav.properties'), 'com.openexchange.dav.prefixPath = /groupware\ncom.openexchange.dav.proxyPrefixPath = /cal\n');
    harness = await startServiceHarness('config', (storage) => ConfigServiceModule.register(storage, { configDir, pollMs: 60_000 }));
    bus = harness.bus;
    await bus.call(ContextsAdd, { contextId: 1 });
    await bus.call(ContextsAdd, { contextId: 2 });
    mia = await bus.call(UsersAdd, { login: 'mia', password: 'pw', contextId: 1, email: 'Mia@example.org' });
    noah = await bus.call(UsersAdd, { login: 'noah', password: 'pw', contextId: 1, email: 'noah@example.org' });
    olaf = await bus.call(UsersAdd, { login: 'olaf', password: 'pw', contextId: 2, email: 'olaf@example.org' });
  });

  afterAll(async () => {
    await harness.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  const found = async (contextId: number, addresses: string[]) =>
    (await bus.call(UsersFindByAddress, { contextId, addresses })).map(({ address, user }) => [address, user.userId]);

  it('knows a user by their mailto: address in any case, and by their principal as clients write it', async () => {
    const addresses = [
      'MAILTO:mia@EXAMPLE.org',
      `/groupware/principals/users/${mia.userId}/`,
      `https://dav.example.org/groupware/principals/users/${noah.userId}`,
      `http://127.0.0.1:8080/cal/principals/users/${noah.userId}/`,
      `/principals/users/${mia.userId}`,
      `/groupware/principals/users/${mia.userId}/?x=1`,
      `/groupware//principals/%75sers/${noah.userId}/`,
    ];
    expect(await found(1, addresses)).toEqual([
      [addresses[0], mia.userId],
      [addresses[1], mia.userId],
      [addresses[2], noah.userId],
      [addresses[3], noah.userId],
      [addresses[4], mia.userId],
      [addresses[5], mia.userId],
      [addresses[6], noah.userId],
    ]);
  });

  it("answers nothing for another context's user, an unknown principal, another layout or scheme, and bad escapes", async () => {
    const nobody = [
      'mailto:olaf@example.org',
      `/groupware/principals/users/${olaf.userId}/`,
      '/groupware/principals/users/999999/',
      `/dav/principals/users/${mia.userId}/`,
      `/groupware/principals/${mia.userId}/`,
      `/groupware/principals/users/${mia.userId}/calendar/`,
      'urn:uuid:6f1c4e0e-0000-4000-8000-000000000000',
      `/groupware/principals/users/%E0%A4%A/`,
      'mailto:nobody@example.org',
    ];
    expect(await found(1, nobody)).toEqual([]);
    expect(await found(2, [`/cal/principals/users/${olaf.userId}`, 'mailto:mia@example.org'])).toEqual([[`/cal/principals/users/${olaf.userId}`, olaf.userId]]);
  });

  it('refuses more addresses than one request takes, and an address longer than any it could know', async () => {
    const many = await bus.request(UsersFindByAddress, { contextId: 1, addresses: Array.from({ length: 501 }, (_, i) => `mailto:u${i}@example.org`) });
    const long = await bus.request(UsersFindByAddress, { contextId: 1, addresses: [`mailto:${'a'.repeat(600)}@example.org`] });
    expect([many.ok || many.error.code, long.ok || long.error.code]).toEqual(['bad-request', 'bad-request']);
  });
});
