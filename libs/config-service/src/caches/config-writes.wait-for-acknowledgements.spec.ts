import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigCacheNodeStarted,
  ConfigCachesInvalidate,
  ConfigCachesPresent,
  ConfigGet,
  ConfigSet,
  ConfigUnset,
  ContextsAdd,
  UsersAdd,
  UsersSetEnabled,
  UsersSetPassword,
  UsersUpdate,
  type CacheInvalidation,
  type CacheNode,
  type User,
} from '@davmesh/contracts';
import { startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';
import { ConfigServiceModule } from '../config-service.module';

/**
 * A caching node on the bus (as an edge's `CacheInvalidationHandler` is) whose acknowledgements
 * the test releases; `answersInvalidations: false` plays a node that hangs after its roll-call.
 */
function cachingNode(harness: ServiceHarness, nodeId: string, answersInvalidations = true) {
  const node: CacheNode = { nodeId, host: 'test', pid: 1 };
  const received: CacheInvalidation[] = [];
  const held: (() => void)[] = [];
  const answer = (raw: string, respond?: (raw: string) => void) => {
    const { id } = JSON.parse(raw) as { id: string };
    respond?.(JSON.stringify({ id, response: { ok: true, data: node }, isDisposed: true }));
  };
  harness.broker.subscribe(ConfigCachesPresent.subject, undefined, answer);
  harness.broker.subscribe(ConfigCachesInvalidate.subject, undefined, (raw, respond) => {
    received.push((JSON.parse(raw) as { data: CacheInvalidation }).data);
    if (answersInvalidations) held.push(() => answer(raw, respond));
  });
  return {
    node,
    received,
    async invalidationHeld(count: number): Promise<void> {
      while (held.length < count) await new Promise((resolve) => setImmediate(resolve));
    },
    release: () => {
      for (const acknowledge of held.splice(0)) acknowledge();
    },
  };
}

describe('config and directory writes answer after every live caching node acknowledged', () => {
  let dir: string;
  let harness: ServiceHarness;
  let anna: User;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'davmesh-acks-'));
    harness = await startServiceHarness('config', (storage) => ConfigServiceModule.register(storage, { configDir: dir, pollMs: 60_000 }));
    await harness.bus.call(ContextsAdd, { contextId: 1 });
    anna = await harness.bus.call(UsersAdd, { login: 'anna', password: 'old-pw', contextId: 1 });
  }, 60_000);

  afterAll(async () => {
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('config set/unset and user passwd/update/disable wait for a slow node, then answer', async () => {
    const slow = cachingNode(harness, 'slow-edge');
    await harness.bus.emit(ConfigCacheNodeStarted, slow.node);
    const writes: [string, () => Promise<unknown>, CacheInvalidation][] = [
      ['config set', () => harness.bus.call(ConfigSet, { key: 'com.openexchange.caldav.enabled', value: false, userId: anna.userId }), { config: expect.objectContaining({ scope: 'user', userId: anna.userId }) }],
      ['config unset', () => harness.bus.call(ConfigUnset, { key: 'com.openexchange.caldav.enabled', userId: anna.userId }), { config: expect.objectContaining({ scope: 'user', userId: anna.userId }) }],
      ['config set on a context', () => harness.bus.call(ConfigSet, { key: 'com.openexchange.caldav.enabled', value: true, contextId: 1 }), { config: expect.objectContaining({ scope: 'context', contextId: 1 }) }],
      ['user passwd', () => harness.bus.call(UsersSetPassword, { login: 'anna', password: 'new-pw' }), { user: expect.objectContaining({ userId: anna.userId, change: 'password-changed' }) }],
      ['user update', () => harness.bus.call(UsersUpdate, { login: 'anna', displayName: 'Anna B.' }), { user: expect.objectContaining({ change: 'updated' }) }],
      ['user disable', () => harness.bus.call(UsersSetEnabled, { login: 'anna', enabled: false }), { user: expect.objectContaining({ change: 'disabled' }) }],
    ];
    for (const [index, [name, write, invalidation]] of writes.entries()) {
      const timeline: string[] = [];
      const answered = write().then(() => timeline.push('answered'));
      await slow.invalidationHeld(1);
      // A round trip to the same service while the node holds its acknowledgement.
      await harness.bus.call(ConfigGet, { contextId: 1 });
      expect({ name, timeline }).toEqual({ name, timeline: [] });
      timeline.push('acknowledged');
      slow.release();
      await answered;
      expect({ name, timeline }).toEqual({ name, timeline: ['acknowledged', 'answered'] });
      expect(slow.received[index]).toEqual(invalidation);
    }
  });

  it('answers anyway, after about 2 s, when a live node does not acknowledge', async () => {
    const hung = cachingNode(harness, 'hung-edge', false);
    await harness.bus.emit(ConfigCacheNodeStarted, hung.node);
    const started = Date.now();
    await harness.bus.call(ConfigSet, { key: 'com.openexchange.caldav.enabled', value: true, userId: anna.userId }, { timeoutMs: 10_000 });
    const waited = Date.now() - started;
    expect(hung.received).toHaveLength(1);
    expect(waited).toBeGreaterThanOrEqual(1900);
    expect(waited).toBeLessThan(8000);
  });
});
