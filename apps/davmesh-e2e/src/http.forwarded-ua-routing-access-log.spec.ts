import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { basicAuth } from '@davmesh/testing';
import { migratedDataDir } from './embedded-data-dir.fixture';

interface Line {
  msg: string;
  requestId?: string;
  client?: string;
  status?: number;
  user?: string;
  subject?: string;
  bytes?: number;
}

describe('behind a reverse proxy: trusted X-Forwarded-For, user-agent routing, the access log and its request id', () => {
  let root: string;
  let node: RunningNode;
  const lines: Line[] = [];
  const demo = basicAuth('demo', 'demo');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'davmesh-front-'));
    const configDir = join(root, 'config');
    mkdirSync(configDir);
    writeFileSync(join(configDir, 'http.properties'), 'davmesh.http.trustedProxies=loopback\ndavmesh.http.userAgentRouting.enabled=true\n');
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Line) } });
    const env = { DAVMESH_DATA: await migratedDataDir(join(root, 'data')), DAVMESH_CONFIG_DIR: configDir, PORT: '0' };
    node = await startNode(loadSettings(env, 'all'), logger, { seedDemo: true });
  }, 120_000);

  afterAll(async () => {
    await node?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('echoes a well-formed X-Request-Id and carries it into the access line and the services\' lines', async () => {
    const response = await request(node.url!).propfind('/dav/caldav/').set('Authorization', demo).set('Depth', '1').set('X-Request-Id', 'req-abc.123').send('');
    expect(response.status).toBe(207);
    expect(response.headers['x-request-id']).toBe('req-abc.123');
    const access = lines.find((l) => l.msg === 'request' && l.requestId === 'req-abc.123');
    expect(access).toMatchObject({ status: 207, user: 'demo' });
    expect(access!.bytes).toBeGreaterThan(0);
    expect(lines.some((l) => l.msg === 'bus request handled' && l.requestId === 'req-abc.123' && l.subject?.startsWith('calendar.'))).toBe(true);
    const made = await request(node.url!).get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes the client address from X-Forwarded-For of a trusted proxy', async () => {
    const response = await request(node.url!).propfind('/dav/').set('Authorization', demo).set('X-Forwarded-For', '203.0.113.7').set('X-Request-Id', 'fwd-1').send('');
    expect(response.status).toBe(207);
    expect(lines.find((l) => l.msg === 'request' && l.requestId === 'fwd-1')?.client).toBe('203.0.113.7');
  });

  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0', 207],
    ['DAVx5/4.4.3.2-ose (2024/10/20; dav4jvm; okhttp/4.12.0) Android/14', 207],
    ['macOS/14.5 (23F79) CalendarAgent/988', 207],
    ['Open-Xchange Calendar Feed Client', 404],
    ['curl/8.5.0', 404],
  ])('serves %s at a path outside the prefix: %d', async (agent, status) => {
    const response = await request(node.url!).propfind('/caldav/').set('Authorization', demo).set('User-Agent', agent).set('Depth', '0').send('');
    expect(response.status).toBe(status);
  });
});
