import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describeWithInfrastructure, TEST_NATS_URL } from '@davmesh/testing';

const root = join(__dirname, '..', '..', '..');

function runServe(role: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', './tools/register.cjs', 'apps/davmesh/src/main.ts', 'serve', '--role', role], {
      cwd: root,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'fatal', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

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
