import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigChanged,
  ConfigExplain,
  ConfigFilesReload,
  ConfigGet,
  ConfigResolve,
  ConfigSet,
  ConfigUnset,
  ContextsAdd,
  UsersAdd,
  type ConfigChangedEvent,
  type User,
} from '@davmesh/contracts';
import { ConfigServiceModule } from '../config-service.module';
import { waitFor } from '@davmesh/testing';
import { startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';

const ENABLED = 'com.openexchange.caldav.enabled';
const START = 'com.openexchange.caldav.interval.start';

describe('config cascade: server < context sets < context < user', () => {
  let dir: string;
  let harness: ServiceHarness;
  let premium: User;
  let plain: User;
  const events: ConfigChangedEvent[] = [];

  const write = (file: string, text: string) => writeFileSync(join(dir, file), text);
  const effective = async (user: User, key: string) => {
    const config = await harness.bus.call(ConfigResolve, { userId: user.userId });
    return config.values[key as typeof ENABLED];
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'davmesh-cascade-'));
    mkdirSync(join(dir, 'contextSets'));
    write('caldav.properties', `${ENABLED}=false\n${START}=six_months\n`);
    write('contextSets/caldav.yml', 'premium:\n    com.openexchange.caldav.enabled: true\n    withTags: ucInfostore\n');
    harness = await startServiceHarness('config', (storage) => ConfigServiceModule.register(storage, { configDir: dir, pollMs: 50 }));
    harness.broker.subscribe(ConfigChanged.subject, undefined, (raw) => events.push((JSON.parse(raw) as { data: ConfigChangedEvent }).data));
    await harness.bus.call(ContextsAdd, { contextId: 1, tags: ['ucInfostore'] });
    await harness.bus.call(ContextsAdd, { contextId: 2, tags: ['basic'] });
    premium = await harness.bus.call(UsersAdd, { login: 'premium', password: 'x', contextId: 1 });
    plain = await harness.bus.call(UsersAdd, { login: 'plain', password: 'x', contextId: 2 });
  });

  afterAll(async () => {
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies the guide's example: off in caldav.properties, on for contexts tagged ucInfostore", async () => {
    expect(await effective(premium, ENABLED)).toEqual({ value: true, level: 'context-set', source: 'context set "premium" (contextSets/caldav.yml:2)' });
    expect(await effective(plain, ENABLED)).toEqual({ value: false, level: 'server', source: 'caldav.properties:1' });
  });

  it('falls back to the built-in default for keys no level sets', async () => {
    expect(await effective(plain, 'com.openexchange.caldav.interval.end')).toEqual({ value: 'one_year', level: 'default', source: 'built-in default' });
  });

  it('lets the context level override context sets and the user level override the context', async () => {
    await harness.bus.call(ConfigSet, { key: ENABLED, value: 'false', contextId: 1 });
    expect(await effective(premium, ENABLED)).toMatchObject({ value: false, level: 'context', source: 'context 1' });
    await harness.bus.call(ConfigSet, { key: ENABLED, value: true, userId: premium.userId });
    expect(await effective(premium, ENABLED)).toMatchObject({ value: true, level: 'user', source: `user ${premium.userId}` });

    const explanation = await harness.bus.call(ConfigExplain, { userId: premium.userId, key: ENABLED });
    expect(explanation.levels.map((l) => l.level)).toEqual(['default', 'server', 'context-set', 'context', 'user']);
    expect(explanation.reason).toContain('user wins');
    expect(explanation.reason).toContain('context set "premium" (contextSets/caldav.yml:1) matches');

    expect(await harness.bus.call(ConfigGet, { userId: premium.userId })).toEqual([{ key: ENABLED, value: true }]);
    expect((await harness.bus.call(ConfigUnset, { key: ENABLED, userId: premium.userId })).removed).toBe(true);
    expect((await harness.bus.call(ConfigUnset, { key: ENABLED, contextId: 1 })).removed).toBe(true);
    expect(await effective(premium, ENABLED)).toMatchObject({ level: 'context-set' });
  });

  it('announces every stored change with a rising revision and its scope', async () => {
    const before = events.length;
    const { revision } = await harness.bus.call(ConfigSet, { key: START, value: 'one_year', contextId: 2 });
    await waitFor(() => events.length > before);
    expect(events[events.length - 1]).toEqual({ revision, scope: 'context', contextId: 2 });
    expect((await harness.bus.call(ConfigResolve, { userId: plain.userId })).revision).toBe(revision);
    await harness.bus.call(ConfigUnset, { key: START, contextId: 2 });
  });

  it('refuses bad values and stores nothing', async () => {
    const cases = [
      { key: 'com.openexchange.caldav.nonsense', value: 'true', contextId: 1 },
      { key: ENABLED, value: 'maybe', contextId: 1 },
      { key: START, value: 'two_months', userId: plain.userId },
      { key: 'com.openexchange.carddav.userAgentForAggregatedCollection', value: '(', contextId: 1 },
      { key: 'com.openexchange.dav.prefixPath', value: '/x', contextId: 1 },
    ];
    for (const request of cases) {
      const reply = await harness.bus.request(ConfigSet, request);
      expect(!reply.ok && reply.error.code).toBe('bad-request');
    }
    expect(await harness.bus.call(ConfigGet, { contextId: 1 })).toEqual([]);
    const missing = await harness.bus.request(ConfigSet, { key: ENABLED, value: true, contextId: 99 });
    expect(!missing.ok && missing.error.code).toBe('not-found');
  });

  it('defines the outcome when several matching context sets set one key: the later file wins', async () => {
    await harness.bus.call(ContextsAdd, { contextId: 3, tags: ['ucInfostore', 'trial'] });
    const both = await harness.bus.call(UsersAdd, { login: 'both', password: 'x', contextId: 3 });
    write('contextSets/zz-trial.yml', 'trial:\n  withTags: trial & !expired\n  com.openexchange.caldav.interval.start: one_year\n  com.openexchange.caldav.enabled: false\n');
    await waitFor(async () => (await effective(both, ENABLED)).value === false);
    expect(await effective(both, START)).toMatchObject({ value: 'one_year', level: 'context-set' });
    expect(await effective(premium, ENABLED)).toMatchObject({ value: true });
    const explanation = await harness.bus.call(ConfigExplain, { userId: both.userId, key: ENABLED });
    expect(explanation.reason).toContain('"trial"');
    rmSync(join(dir, 'contextSets/zz-trial.yml'));
    await waitFor(async () => (await effective(both, ENABLED)).value === true);
  });

  it('takes a changed file without a restart, and keeps the last good configuration when a file is bad', async () => {
    const before = events.length;
    write('caldav.properties', `${ENABLED}=false\n${START}=one_year\n`);
    await waitFor(async () => (await effective(plain, START)).value === 'one_year');
    await waitFor(() => events.slice(before).some((e) => e.scope === 'server'));

    for (const broken of [
      `${ENABLED}=flase\n`,
      `com.openexchange.caldav.unknownKey=1\n${ENABLED}=true\n`,
      `com.openexchange.carddav.userAgentForAggregatedCollection=[\n`,
    ]) {
      write('caldav.properties', broken);
      const state = await harness.bus.call(ConfigFilesReload, {});
      expect(state).toMatchObject({ applied: false, problems: [expect.objectContaining({ where: expect.stringMatching(/^caldav\.properties:\d+$/) })] });
      expect(await effective(plain, ENABLED)).toMatchObject({ value: false, level: 'server' });
      expect(await effective(plain, START)).toMatchObject({ value: 'one_year' });
    }
    write('contextSets/caldav.yml', 'premium:\n    com.openexchange.caldav.enabled: true\n    withTags: ucInfostore & (\n');
    expect(await harness.bus.call(ConfigFilesReload, {})).toMatchObject({
      applied: false,
      problems: expect.arrayContaining([{ where: 'contextSets/caldav.yml:3', message: expect.stringContaining('bad withTags') }]),
    });
    expect(await effective(premium, ENABLED)).toMatchObject({ value: true, level: 'context-set' });

    write('contextSets/caldav.yml', 'premium:\n    com.openexchange.caldav.enabled: true\n    withTags: ucInfostore\n');
    write('caldav.properties', `${ENABLED}=true\n`);
    await waitFor(async () => (await effective(plain, ENABLED)).value === true);
  });
});
