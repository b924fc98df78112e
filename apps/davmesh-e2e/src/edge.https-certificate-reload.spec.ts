import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { request as httpsRequest, Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type PeerCertificate } from 'node:tls';
import pino from 'pino';
import { DEMO_LOGIN, DEMO_PASSWORD, loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { basicAuth, eventually, PRINCIPAL_PROPFIND, TestPki, type IssuedCertificate } from '@davmesh/testing';
import { migratedDataDir } from './embedded-data-dir.fixture';
import { runServe } from './serve-process.fixture';

interface Line {
  level: number;
  msg: string;
}

/**
 * A Kubernetes Secret volume: `tls.crt` and `tls.key` link into `..data`, itself a link to a
 * timestamped directory; an update writes a new directory and swaps `..data` in one rename.
 */
class SecretVolume {
  private version = 0;
  constructor(readonly dir: string) {}

  get certFile(): string {
    return join(this.dir, 'tls.crt');
  }
  get keyFile(): string {
    return join(this.dir, 'tls.key');
  }

  publish(certFile: string, keyFile: string): void {
    const versionDir = `..v${++this.version}`;
    mkdirSync(join(this.dir, versionDir));
    for (const [name, from] of [['tls.crt', certFile], ['tls.key', keyFile]] as const) {
      symlinkSync(from, join(this.dir, versionDir, name));
      if (this.version === 1) symlinkSync(join('..data', name), join(this.dir, name));
    }
    symlinkSync(versionDir, join(this.dir, '..data_tmp'));
    renameSync(join(this.dir, '..data_tmp'), join(this.dir, '..data'));
  }
}

describe('the edge over HTTPS, its certificate reloaded when the Secret changes', () => {
  let pki: TestPki;
  let first: IssuedCertificate;
  let volume: SecretVolume;
  let dataDir: string;
  let node: RunningNode;
  const lines: Line[] = [];

  /** The certificate a new TLS connection to the edge is given. */
  const servedCertificate = (): Promise<PeerCertificate> => {
    const { port } = new URL(node.url!);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: Number(port), servername: 'localhost', ca: readFileSync(pki.caFile) }, () => {
        resolve(socket.getPeerCertificate());
        socket.end();
      });
      socket.once('error', reject);
    });
  };

  const propfind = (agent: Agent): Promise<{ status?: number; connection?: string }> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(
        `${node.url}/dav/`,
        {
          method: 'PROPFIND',
          agent,
          headers: { Authorization: basicAuth(DEMO_LOGIN, DEMO_PASSWORD), Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode, connection: response.headers.connection }));
        },
      );
      req.once('error', reject);
      req.end(PRINCIPAL_PROPFIND);
    });

  beforeAll(async () => {
    pki = await TestPki.create();
    first = await pki.issue('edge-1');
    volume = new SecretVolume(mkdtempSync(join(tmpdir(), 'davmesh-secret-')));
    volume.publish(first.certFile, first.keyFile);
    dataDir = await migratedDataDir();
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Line) });
    const env = { DAVMESH_DATA: dataDir, PORT: '0', DAVMESH_TLS_CERT: volume.certFile, DAVMESH_TLS_KEY: volume.keyFile, DAVMESH_CONFIG_POLL_MS: '100' };
    node = await startNode(loadSettings(env, 'all'), logger, { seedDemo: true });
  }, 60_000);

  afterAll(async () => {
    await node?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(volume.dir, { recursive: true, force: true });
    pki?.remove();
  });

  it('answers a PROPFIND over HTTPS with the certificate it was given', async () => {
    expect(node.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const agent = new Agent({ ca: readFileSync(pki.caFile), servername: 'localhost' });
    expect((await propfind(agent)).status).toBe(207);
    agent.destroy();
    expect((await servedCertificate()).serialNumber).toBe(first.serialNumber);
  });

  it('serves a new certificate to new connections once the Secret volume swaps its files', async () => {
    const second = await pki.issue('edge-2');
    volume.publish(second.certFile, second.keyFile);
    await eventually(async () => expect((await servedCertificate()).fingerprint256).toBe(second.fingerprint256));
  });

  it('keeps the certificate in use when the new files do not make a pair, and says so once', async () => {
    const current = (await servedCertificate()).serialNumber;
    const third = await pki.issue('edge-3');
    const refusals = () => lines.filter((l) => l.msg.startsWith('TLS certificate not reloaded'));
    volume.publish(third.certFile, first.keyFile);
    await eventually(() => expect(refusals()).toHaveLength(1));
    expect((await servedCertificate()).serialNumber).toBe(current);
    // A good pair afterwards is taken; in the polls between, the bad one was not logged again.
    volume.publish(third.certFile, third.keyFile);
    await eventually(async () => expect((await servedCertificate()).serialNumber).toBe(third.serialNumber));
    expect(refusals()).toHaveLength(1);
  });

  it('drains HTTPS connections on stop: an idle kept-alive connection is closed within the idle linger, not the grace', async () => {
    const agent = new Agent({ ca: readFileSync(pki.caFile), servername: 'localhost', keepAlive: true });
    expect(await propfind(agent)).toEqual({ status: 207, connection: 'keep-alive' });
    const [socket] = Object.values(agent.freeSockets).flat();
    expect(socket).toBeDefined();
    const closed = new Promise((resolve) => socket!.once('close', resolve));
    const started = Date.now();
    await node.close();
    await closed;
    // The grace is 25 s; the drain closes idle connections after 1 s.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(lines.filter((l) => l.msg === 'HTTP requests cut: they took longer than the shutdown grace')).toEqual([]);
    agent.destroy();
  });
});

describe('a start with TLS files that do not make a certificate pair', () => {
  it('names both files on one line and exits non-zero', async () => {
    const pki = await TestPki.create();
    const dataDir = mkdtempSync(join(tmpdir(), 'davmesh-https-'));
    try {
      const [a, b] = [await pki.issue('a'), await pki.issue('b')];
      const result = await runServe('all', { DAVMESH_DATA: dataDir, PORT: '0', DAVMESH_TLS_CERT: a.certFile, DAVMESH_TLS_KEY: b.keyFile });
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`davmesh: cannot start: DAVMESH_TLS_CERT ${a.certFile} and DAVMESH_TLS_KEY ${b.keyFile} do not make a TLS pair`);
      const half = await runServe('all', { DAVMESH_DATA: dataDir, PORT: '0', DAVMESH_TLS_CERT: a.certFile });
      expect(half.stderr.trim()).toBe('davmesh: cannot start: DAVMESH_TLS_CERT and DAVMESH_TLS_KEY go together: set both for HTTPS, neither for HTTP');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      pki.remove();
    }
  }, 90_000);
});
