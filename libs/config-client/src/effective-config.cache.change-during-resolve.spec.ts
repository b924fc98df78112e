import { InProcessBroker, InProcessBusClient } from '@davmesh/bus';
import { ConfigResolve, type EffectiveConfig } from '@davmesh/contracts';
import { heldResponder } from '@davmesh/testing';
import { EffectiveConfigCache } from './effective-config.cache';

/** A config service whose replies the test releases (a change event can overtake one). */
function heldConfigService(broker: InProcessBroker) {
  const store = { enabled: false, revision: 5 };
  // The reply is read when the request arrives, from what is stored then.
  const responder = heldResponder<{ userId: number }>(broker, ConfigResolve.subject, 'config', (data) => ({
    ok: true,
    data: {
      userId: data.userId,
      contextId: 1,
      revision: store.revision,
      values: { 'com.openexchange.caldav.enabled': { value: store.enabled, level: 'user', source: 'user' } },
    } as unknown as EffectiveConfig,
  }));
  return { store, ...responder };
}

const caldavEnabled = (config: EffectiveConfig) => config.values['com.openexchange.caldav.enabled'].value;

describe('a config change that arrives while a resolve is in flight', () => {
  it('is not undone by the older reply: the next request is served the new value', async () => {
    const broker = new InProcessBroker();
    const service = heldConfigService(broker);
    const cache = new EffectiveConfigCache(new InProcessBusClient(broker));

    service.hold();
    const inFlight = cache.forUser(7);
    await service.heldReply();
    // CalDAV is enabled for the user and the change event arrives before the old reply does.
    service.store.enabled = true;
    service.store.revision = 6;
    cache.onChanged({ revision: 6, scope: 'user', userId: 7, contextId: 1 });
    service.release();
    expect(caldavEnabled(await inFlight)).toBe(false);

    expect(caldavEnabled(await cache.forUser(7))).toBe(true);
  });

  it('for a context or server change too, the reverse way (a user disabled stays out)', async () => {
    const broker = new InProcessBroker();
    const service = heldConfigService(broker);
    service.store.enabled = true;
    const cache = new EffectiveConfigCache(new InProcessBusClient(broker));

    for (const [userId, event] of [[8, { scope: 'context', contextId: 1 }], [9, { scope: 'server' }]] as const) {
      service.hold();
      const inFlight = cache.forUser(userId);
      await service.heldReply();
      service.store.enabled = !service.store.enabled;
      service.store.revision++;
      cache.onChanged({ revision: service.store.revision, ...event });
      service.release();
      await inFlight;
      expect(caldavEnabled(await cache.forUser(userId))).toBe(service.store.enabled);
    }
  });

  it('still keeps replies that no change overtook', async () => {
    const broker = new InProcessBroker();
    const service = heldConfigService(broker);
    const cache = new EffectiveConfigCache(new InProcessBusClient(broker));
    await cache.forUser(10);
    service.store.enabled = true;
    expect(caldavEnabled(await cache.forUser(10))).toBe(false);
  });
});
