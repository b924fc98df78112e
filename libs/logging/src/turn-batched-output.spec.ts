import { spawnSync } from 'node:child_process';
import fs, { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { turnBatchedOutput } from './logger';

const nextTurn = () => new Promise((done) => setImmediate(done));

describe('log output written once per event-loop turn', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'davmesh-log-'))));
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the lines of one turn with one system call, by the end of that turn', async () => {
    const file = join(dir, 'out.log');
    const fd = openSync(file, 'w');
    const logger = pino({ level: 'info' }, turnBatchedOutput(fd));
    const writes = jest.spyOn(fs, 'writeSync');
    for (let i = 0; i < 20; i++) logger.info({ i }, 'request');
    await nextTurn();
    expect(readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line).i)).toEqual([...Array(20).keys()]);
    expect(writes.mock.calls.filter(([target]) => target === fd)).toHaveLength(1);
    logger.info({ i: 20 }, 'request');
    await nextTurn();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(21);
  });

  it('loses no line logged just before the process exits', () => {
    const root = resolve(__dirname, '../../..');
    const script = [
      `const { createLogger } = require(${JSON.stringify(join(__dirname, 'logger.ts'))});`,
      "const logger = createLogger({ level: 'info', pretty: false });",
      "for (let i = 0; i < 3; i++) logger.info({ i }, 'last words');",
      'process.exit(0);',
    ].join('\n');
    const child = spawnSync(process.execPath, ['-r', './tools/register.cjs', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim().split('\n').map((line) => JSON.parse(line).msg)).toEqual(['last words', 'last words', 'last words']);
  });
});
