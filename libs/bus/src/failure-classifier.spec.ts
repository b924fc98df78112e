import { z } from 'zod';
import { defineRequest } from '@davmesh/contracts';
import { registerFailureClassifier } from './failure-classifier';
import { handleRequest } from './handler';

class DependencyDown extends Error {}

const Lookup = defineRequest<{ id: number }, { id: number }>('calendar.v1.test.lookup', z.object({ id: z.number() }).strict());

function recordingLogger() {
  const lines: { level: 'warn' | 'error'; obj: object; msg: string }[] = [];
  return {
    lines,
    warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg: string) => lines.push({ level: 'error', obj, msg }),
  };
}

describe('failures a classifier knows', () => {
  registerFailureClassifier((error) =>
    error instanceof DependencyDown ? { outage: 'dependency down', error: { code: 'unavailable', message: 'try again shortly' } } : undefined,
  );

  it('are answered with the classified error and logged as an outage, not as a bug', async () => {
    const logger = recordingLogger();
    const reply = await handleRequest(Lookup, { id: 1 }, logger, async () => {
      throw new DependencyDown('connect ECONNREFUSED');
    });
    expect(reply).toEqual({ ok: false, error: { code: 'unavailable', message: 'try again shortly' } });
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(logger.lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([expect.stringContaining('dependency down')]);
  });

  it('are logged once per outage, however many requests they refuse', async () => {
    const logger = recordingLogger();
    for (let i = 0; i < 50; i++) {
      await handleRequest(Lookup, { id: i }, logger, async () => {
        throw new DependencyDown('connect ECONNREFUSED');
      });
    }
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({ level: 'warn', obj: { service: 'calendar', outage: 'dependency down' } });
  });

  it('leave every other failure internal, logged with the error', async () => {
    const logger = recordingLogger();
    const reply = await handleRequest(Lookup, { id: 1 }, logger, async () => {
      throw new TypeError('undefined is not a function');
    });
    expect(reply).toEqual({ ok: false, error: { code: 'internal', message: 'internal error' } });
    expect(logger.lines.map((l) => l.level)).toEqual(['error']);
  });
});
