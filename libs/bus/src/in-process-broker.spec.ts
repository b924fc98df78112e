import { InProcessBroker, NoRespondersError } from './in-process-broker';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('in-process broker', () => {
  it('spreads queue-group messages round robin and fans out to plain subscribers', async () => {
    const broker = new InProcessBroker();
    const seen: string[] = [];
    broker.subscribe('s', 'workers', () => seen.push('w1'));
    broker.subscribe('s', 'workers', () => seen.push('w2'));
    broker.subscribe('s', undefined, () => seen.push('listener-a'));
    broker.subscribe('s', undefined, () => seen.push('listener-b'));
    for (let i = 0; i < 4; i++) broker.publish('s', '{}');
    await tick();
    expect(seen.filter((s) => s === 'w1')).toHaveLength(2);
    expect(seen.filter((s) => s === 'w2')).toHaveLength(2);
    expect(seen.filter((s) => s === 'listener-a')).toHaveLength(4);
    expect(seen.filter((s) => s === 'listener-b')).toHaveLength(4);
  });

  it('fails a request with no responders at once', async () => {
    await expect(new InProcessBroker().request('nobody', '{}', 5000)).rejects.toBeInstanceOf(NoRespondersError);
  });

  it('stops delivering after unsubscribe', async () => {
    const broker = new InProcessBroker();
    let count = 0;
    const unsubscribe = broker.subscribe('s', undefined, () => count++);
    unsubscribe();
    expect(broker.publish('s', '{}')).toBe(0);
    await tick();
    expect(count).toBe(0);
  });
});
