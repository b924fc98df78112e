import { describeWithInfrastructure, TEST_NATS_URL } from '@davmesh/testing';
import { runServe } from './serve-process.fixture';

describe('a start with bad settings', () => {
  it('names the problem and exits non-zero', async () => {
    const result = await runServe('edge', {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--role edge needs NATS_URL');
  }, 45_000);
});

describeWithInfrastructure('a start with PostgreSQL unreachable', () => {
  it('prints one clear error and exits non-zero instead of hanging', async () => {
    const result = await runServe('config', { NATS_URL: TEST_NATS_URL, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot connect to PostgreSQL at 127.0.0.1:1/nowhere');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  }, 45_000);
});
