import { rmSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { migratedDataDir } from './embedded-data-dir.fixture';

function get(url: string, agent: Agent): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { agent }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('an edge that is stopping, as a load balancer sees it', () => {
  let dataDir: string;
  let node: RunningNode | undefined;

  beforeAll(async () => {
    dataDir = await migratedDataDir();
    node = await startNode(loadSettings({ DAVMESH_DATA: dataDir, PORT: '0' }, 'all'), createLogger({ level: 'silent' }), { seedDemo: true });
  }, 120_000);

  afterAll(async () => {
    await node?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('answers /healthz 503 on a connection it already had, with Connection: close, and refuses new connections', async () => {
    const kept = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(`${node!.url}/healthz`, kept)).toMatchObject({ status: 200, body: 'ok\n', headers: { connection: 'keep-alive' } });
      const closing = node!.close();
      expect(await get(`${node!.url}/healthz`, kept)).toMatchObject({ status: 503, body: 'stopping\n', headers: { connection: 'close' } });
      await expect(get(`${node!.url}/healthz`, new Agent())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      await closing;
    } finally {
      kept.destroy();
    }
  }, 60_000);
});
