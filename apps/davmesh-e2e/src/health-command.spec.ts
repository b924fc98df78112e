import { describeWithInfrastructure, TEST_NATS_URL } from '@davmesh/testing';
import { runCli } from '@davmesh/cli';
import { distributedClusterPerSuite } from './distributed-cluster';

describeWithInfrastructure('davmesh health --role (the exec probe of the bus-only roles)', () => {
  const cluster = distributedClusterPerSuite(async ({ start }) => {
    await start('config');
  });

  async function health(args: string[], env: Record<string, string> = {}): Promise<{ code: number; printed: string[] }> {
    const printed: string[] = [];
    const code = await runCli(['health', ...args], { NATS_URL: TEST_NATS_URL, DAVMESH_SUBJECT_PREFIX: cluster().prefix, ...env }, (line) =>
      printed.push(line),
    );
    return { code, printed };
  }

  it('exits 0 and names the replica that answered when the service runs', async () => {
    const { code, printed } = await health(['--role', 'config']);
    expect(code).toBe(0);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^config answered: config@.+, schema \S+$/);
  });

  it('exits 1 when no replica of the service answers', async () => {
    const { code, printed } = await health(['--role', 'calendar', '--timeout-ms', '500']);
    expect(code).toBe(1);
    expect(printed).toEqual([]);
  });

  it('exits 1 when NATS cannot be reached', async () => {
    const { code } = await health(['--role', 'config'], { NATS_URL: 'nats://127.0.0.1:1' });
    expect(code).toBe(1);
  });

  it('refuses the edge (it answers GET /healthz), unknown roles and a missing NATS_URL with exit 2', async () => {
    expect((await health(['--role', 'edge'])).code).toBe(2);
    expect((await health([])).code).toBe(2);
    expect((await health(['--role', 'config'], { NATS_URL: '' })).code).toBe(2);
  });
});
