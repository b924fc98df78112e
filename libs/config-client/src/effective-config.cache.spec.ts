import { InProcessBroker, InProcessBusClient } from '@davmesh/bus';
import { ConfigResolve, type EffectiveConfig } from '@davmesh/contracts';
import { EffectiveConfigCache } from './effective-config.cache';

describe('effective config cache', () => {
  const broker = new InProcessBroker();
  let resolves = 0;
  let revision = 5;
  broker.subscribe(ConfigResolve.subject, 'config', (raw, respond) => {
    const { id, data } = JSON.parse(raw) as { id: string; data: { userId: number } };
    resolves++;
    const config = { userId: data.userId, contextId: data.userId === 1 ? 10 : 20, revision, values: {} } as EffectiveConfig;
    respond?.(JSON.stringify({ id, response: { ok: true, data: config }, isDisposed: true }));
  });
  const cache = new EffectiveConfigCache(new InProcessBusClient(broker));

  beforeEach(() => {
    cache.clear();
    resolves = 0;
  });

  it('asks the config service once per user until a change concerns them', async () => {
    await cache.forUser(1);
    await cache.forUser(1);
    await cache.forUser(2);
    expect(resolves).toBe(2);
    cache.onChanged({ revision: 6, scope: 'context', contextId: 20 });
    await cache.forUser(1);
    await cache.forUser(2);
    expect(resolves).toBe(3);
    cache.onChanged({ revision: 7, scope: 'user', userId: 1 });
    cache.onChanged({ revision: 8, scope: 'server' });
    await cache.forUser(1);
    await cache.forUser(2);
    expect(resolves).toBe(5);
  });

  it('keeps an entry fetched after the change it hears of (events may arrive late)', async () => {
    revision = 9;
    await cache.forUser(1);
    cache.onChanged({ revision: 9, scope: 'server' });
    await cache.forUser(1);
    expect(resolves).toBe(1);
  });
});
