import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigResolve, ContextsAdd, UsersAdd, type User } from '@davmesh/contracts';
import { startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';
import { ConfigServiceModule } from '../config-service.module';
import { ServerConfigHolder } from './server-config.holder';

const ENABLED = 'com.openexchange.caldav.enabled';
const START = 'com.openexchange.caldav.interval.start';
const premiumSet = (start: string) => `premium:\n    ${ENABLED}: true\n    ${START}: ${start}\n    withTags: ucInfostore\n`;

/**
 * An editor or `cp` writes a file in place: for a moment it is empty or half there. The config
 * role may look in that moment (its directory watch fires on the truncation, and it may run on
 * another thread than the writer): what it reads then must not become the configuration.
 */
describe('server config: a file caught while it is being written', () => {
  let dir: string;
  let harness: ServiceHarness;
  let premium: User;

  const effective = async (key: string) => (await harness.bus.call(ConfigResolve, { userId: premium.userId })).values[key as typeof ENABLED];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'davmesh-midwrite-'));
    mkdirSync(join(dir, 'contextSets'));
    writeFileSync(join(dir, 'caldav.properties'), `${ENABLED}=false\n`);
    writeFileSync(join(dir, 'contextSets', 'caldav.yml'), premiumSet('six_months'));
    harness = await startServiceHarness('config', (storage) => ConfigServiceModule.register(storage, { configDir: dir, pollMs: 600_000 }));
    await harness.bus.call(ContextsAdd, { contextId: 1, tags: ['ucInfostore'] });
    premium = await harness.bus.call(UsersAdd, { login: 'premium', password: 'x', contextId: 1 });
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the last good configuration while a file is truncated for its rewrite, then applies the finished file', async () => {
    const holder = harness.app.get(ServerConfigHolder);
    expect(await effective(ENABLED)).toMatchObject({ value: true, level: 'context-set' });

    const yml = join(dir, 'contextSets', 'caldav.yml');
    writeFileSync(yml, '');
    const lookWhileEmpty = holder.reloadIfChanged();
    // The look reads the files on its first turn; the rest of the rewrite lands a turn later.
    await new Promise((resolve) => setImmediate(resolve));
    writeFileSync(yml, premiumSet('one_year'));
    await lookWhileEmpty;
    // Read before any later look can run: the empty file (no premium set) never became the configuration.
    expect(holder.config.contextSets.map((set) => set.name)).toEqual(['premium']);
    expect(await effective(ENABLED)).toMatchObject({ value: true, level: 'context-set' });

    const state = await holder.filesState();
    expect(state).toMatchObject({ applied: true, problems: [] });
    expect(await effective(START)).toMatchObject({ value: 'one_year', level: 'context-set' });
  });
});
