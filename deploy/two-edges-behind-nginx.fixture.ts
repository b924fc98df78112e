import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { join } from 'node:path';
import { createBusClient, type BusClient } from '@davmesh/bus';
import { ContextsAdd, UsersAdd } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { agentFetch, basicAuth, createTestDatabase, DAVX5_UA, eventually, freePort, onFreePort, randomSubjectPrefix, TEST_NATS_URL, TestPki, type TestDatabase } from '@davmesh/testing';
import { listenOn, nginxMainFile, NGINX_DIR, siteFile, startNginx, upstreamFile, type RunningNginx } from './web-server-configs.fixture';

/** The edge's access line (`"msg":"request"`). */
export interface AccessLine {
  msg: string;
  requestId?: string;
  method?: string;
  path?: string;
  status?: number;
  client?: string;
  proto?: string;
}

/** A request the test sent, by the X-Request-Id it carried (nginx passes it on, the edge logs it). */
export interface Sent {
  id: string;
  method: string;
  path: string;
  status: number;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Its X-Request-Id. */
  id: string;
}

/** Where the DAV client connects to nginx from: nginx writes it into X-Forwarded-For, the edges must log it. */
export const CLIENT_ADDRESS = '127.0.0.3';
/** nginx reaches the edges from 127.0.0.1, the only trusted proxy (davmesh.http.trustedProxies). */
export const PROXY_ADDRESS = '127.0.0.1';
export const USER = { login: 'nora', password: 'nora-pw' };

export interface FrontedEdges {
  /** https://127.0.0.1:<port>: nginx, on a port that is not 443. */
  front: string;
  edges: { url: string; lines: AccessLine[] }[];
  /** Every request sent through `tagged`, in order. */
  sent: Sent[];
  /** The client's fetch to nginx: the test CA trusted, from CLIENT_ADDRESS, one kept-alive connection. */
  viaNginx: typeof fetch;
  /** `base` with an X-Request-Id of its own on every request, remembered in `sent`. */
  tagged(base: typeof fetch): typeof fetch;
  /** A request as USER with DAVx5's agent. */
  send(fetcher: typeof fetch, url: string, method: string, headers?: Record<string, string>, body?: string): Promise<Answer>;
  /** The edge (0 or 1) whose access log has the request, and its line; exactly one edge must have it. */
  servedBy(id: string): Promise<{ edge: number; line: AccessLine }>;
}

/**
 * For the enclosing describe block: a config, a calendar and a contacts node and two edges on
 * the shared NATS and PostgreSQL (a subject prefix and a database of their own), the server
 * config files `properties` (name to content), and a real nginx in front running the shipped
 * `deploy/nginx/<site>` and proxy.conf as they are, but for the listen line and certificate
 * (issued for 127.0.0.1 by a CA of the test, under the names the site file gives) and the
 * upstream's server line (one per edge). Each edge's log lines are kept.
 */
export function twoEdgesBehindNginx(site: string, properties: Record<string, string>): () => FrontedEdges {
  let database: TestDatabase | undefined;
  let bus: BusClient | undefined;
  let pki: TestPki | undefined;
  let nginx: RunningNginx | undefined;
  let fronted: FrontedEdges | undefined;
  const nodes: RunningNode[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const prefix = randomSubjectPrefix();
    pki = await TestPki.create();
    const configDir = join(pki.dir, 'config');
    mkdirSync(configDir);
    for (const [name, content] of Object.entries(properties)) writeFileSync(join(configDir, name), content);
    const env = { NATS_URL: TEST_NATS_URL, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, DAVMESH_CONFIG_DIR: configDir, PORT: '0' };
    const silent = createLogger({ level: 'silent' });
    nodes.push(await startNode(loadSettings(env, 'config'), silent));
    nodes.push(...(await Promise.all([startNode(loadSettings(env, 'calendar'), silent), startNode(loadSettings(env, 'contacts'), silent)])));
    const edges: FrontedEdges['edges'] = [];
    for (let i = 0; i < 2; i++) {
      const lines: AccessLine[] = [];
      const node = await startNode(loadSettings(env, 'edge'), createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as AccessLine) } }));
      nodes.push(node);
      edges.push({ url: node.url!, lines });
    }
    bus = await createBusClient({ kind: 'nats', servers: TEST_NATS_URL, prefix }, 'test');
    await bus.call(ContextsAdd, { contextId: 1 });
    await bus.call(UsersAdd, { login: USER.login, password: USER.password, contextId: 1, displayName: 'Nora' });

    const shipped = readFileSync(join(NGINX_DIR, site), 'utf8');
    for (const name of shipped.matchAll(/ssl_certificate_key \/etc\/ssl\/davmesh\/(.+)\.key;/g)) await pki.issue(name[1], { hosts: ['127.0.0.1'] });
    const upstream = upstreamFile(edges.map((e) => new URL(e.url).host));
    const scratch = pki.dir;
    let front = '';
    nginx = await onFreePort(async (port) => {
      const listen = `127.0.0.1:${port}`;
      const plain = /^\s*listen 80;$/m.test(shipped) ? `127.0.0.1:${await freePort()}` : undefined;
      const running = await startNginx(scratch, nginxMainFile(scratch, upstream, listenOn(siteFile(join(NGINX_DIR, site), scratch), listen, plain)), listen);
      front = `https://${listen}`;
      return running;
    });
    // One kept-alive TLS connection from the client's own address: whatever nginx does, it does per request.
    const viaNginx = agentFetch(new HttpsAgent({ ca: readFileSync(pki.caFile), localAddress: CLIENT_ADDRESS, keepAlive: true, maxSockets: 1 }));
    const sent: Sent[] = [];
    const tagged = (base: typeof fetch): typeof fetch => async (input, init = {}) => {
      const id = `e2e-${sent.length + 1}-${Math.random().toString(36).slice(2, 8)}`;
      const headers = new Headers(init.headers);
      headers.set('X-Request-Id', id);
      const response = await base(input, { ...init, headers });
      const url = new URL(input instanceof Request ? input.url : String(input));
      sent.push({ id, method: (init.method ?? 'GET').toUpperCase(), path: url.pathname, status: response.status });
      return response;
    };
    fronted = {
      front,
      edges,
      sent,
      viaNginx,
      tagged,
      async send(fetcher, url, method, headers = {}, body) {
        const response = await tagged(fetcher)(url, { method, headers: { Authorization: basicAuth(USER.login, USER.password), 'User-Agent': DAVX5_UA, ...headers }, body });
        return { status: response.status, headers: response.headers, text: await response.text(), id: sent[sent.length - 1].id };
      },
      async servedBy(id) {
        let found: { edge: number; line: AccessLine }[] = [];
        // The access line is written when the edge's response closes, which may be just after the client has it.
        await eventually(() => {
          found = edges.flatMap((e, edge) => e.lines.filter((l) => l.msg === 'request' && l.requestId === id).map((line) => ({ edge, line })));
          expect(found).toHaveLength(1);
        }, 10_000);
        return found[0];
      },
    };
  }, 180_000);

  afterAll(async () => {
    await nginx?.stop();
    await bus?.close();
    for (const node of nodes.reverse()) await node.close();
    await database?.drop();
    pki?.remove();
  }, 60_000);

  return () => {
    if (!fronted) throw new Error('nginx and the edges have not started');
    return fronted;
  };
}
