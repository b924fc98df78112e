import { rmSync } from 'node:fs';
import pino from 'pino';
import { ConfigSet, UsersAdd } from '@davmesh/contracts';
import { loadSettings, startNode } from '@davmesh/runtime';
import { dav } from './dav-request.fixture';
import { migratedDataDir } from './embedded-data-dir.fixture';

interface Line {
  msg: string;
  reason?: string;
  userId?: number;
  repeated?: number;
}

describe('a client looping on a refusal', () => {
  it('costs one log line and, when the window ends, one summary with the count', async () => {
    const lines: Line[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Line) });
    const dataDir = await migratedDataDir();
    const node = await startNode(loadSettings({ DAVMESH_DATA: dataDir, PORT: '0' }, 'all'), logger, { seedDemo: true });
    try {
      const user = await node.bus.call(UsersAdd, { login: 'loop', password: 'loop-pw', contextId: 1 });
      await node.bus.call(ConfigSet, { key: 'com.openexchange.caldav.enabled', value: false, userId: user.userId });
      const send = dav(node.url!, 'loop', 'loop-pw');
      for (let i = 0; i < 300; i++) expect((await send('PROPFIND', '/dav/caldav/', { Depth: '0' }, '')).status).toBe(403);
      const refusals = () => lines.filter((l) => l.reason === 'CalDAV is disabled for this user');
      expect(refusals()).toEqual([expect.objectContaining({ msg: 'request rejected', userId: user.userId })]);
    } finally {
      await node.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    const refusals = lines.filter((l) => l.reason === 'CalDAV is disabled for this user');
    expect(refusals).toHaveLength(2);
    expect(refusals[1]).toMatchObject({ repeated: 299, msg: 'request rejected (repeated 299 times in 60 s)' });
  }, 60_000);
});
