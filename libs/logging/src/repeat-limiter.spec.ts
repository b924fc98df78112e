import pino from 'pino';
import { RepeatLimiter } from './repeat-limiter';

interface Line {
  msg: string;
  userId?: number;
  repeated?: number;
}

function collectingLogger(): { lines: Line[]; logger: pino.Logger } {
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Line) });
  return { lines, logger };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('RepeatLimiter: a looping client does not flood the log', () => {
  it('logs 300 identical refusals as one line, then one summary with the count', async () => {
    const { lines, logger } = collectingLogger();
    const limiter = new RepeatLimiter(logger, { windowMs: 200 });
    for (let i = 0; i < 300; i++) limiter.warn('7:CalDAV is disabled', { userId: 7 }, 'request rejected: CalDAV is disabled');
    expect(lines.map((l) => l.msg)).toEqual(['request rejected: CalDAV is disabled']);
    await until(() => lines.length === 2);
    expect(lines[1]).toMatchObject({ userId: 7, repeated: 299, msg: 'request rejected: CalDAV is disabled (repeated 299 times in 0.2 s)' });
  });

  it('keeps keys apart, writes no summary for a line seen once, and logs anew after the window', async () => {
    const { lines, logger } = collectingLogger();
    const limiter = new RepeatLimiter(logger, { windowMs: 100 });
    limiter.warn('once', {}, 'seen once');
    limiter.warn('twice', {}, 'seen twice');
    limiter.warn('twice', {}, 'seen twice');
    expect(lines.map((l) => l.msg)).toEqual(['seen once', 'seen twice']);
    // The windows end in the order they opened: once the second one is summarised, the first has ended too.
    await until(() => lines.length === 3);
    expect(lines[2].msg).toBe('seen twice (repeated 1 times in 0.1 s)');
    limiter.warn('once', {}, 'seen once');
    expect(lines.map((l) => l.msg)).toEqual(['seen once', 'seen twice', 'seen twice (repeated 1 times in 0.1 s)', 'seen once']);
  });

  it('summarises the oldest key early when it counts too many at once, and everything on flush', () => {
    const { lines, logger } = collectingLogger();
    const limiter = new RepeatLimiter(logger, { windowMs: 60_000, maxKeys: 2 });
    for (const key of ['a', 'a', 'b', 'b', 'c', 'c', 'c']) limiter.warn(key, {}, key);
    expect(lines.map((l) => l.msg)).toEqual(['a', 'b', 'a (repeated 1 times in 60 s)', 'c']);
    limiter.flush();
    expect(lines.map((l) => l.msg).slice(4)).toEqual(['b (repeated 1 times in 60 s)', 'c (repeated 2 times in 60 s)']);
  });
});
