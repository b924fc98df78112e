import { rmSync } from 'node:fs';
import request from 'supertest';
import { UsersAdd, type User } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type NodeOptions, type RunningNode } from '@davmesh/runtime';
import { basicAuth, DAVX5_UA } from '@davmesh/testing';
import { migratedDataDir } from './embedded-data-dir.fixture';

/** An embedded server (every role, PGlite) on a free port, for the CalDAV specs. */
export interface EmbeddedServer {
  node: RunningNode;
  url: string;
  addUser(login: string, password: string): Promise<User>;
  close(): Promise<void>;
}

/** `edge` tunes the HTTP edge, e.g. `{ clock: () => new Date('2006-01-01T00:00:00Z') }` for a server as of that day. */
export type EmbeddedServerOptions = Pick<NodeOptions, 'edge'>;

export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const dataDir = await migratedDataDir();
  const node = await startNode(loadSettings({ DAVMESH_DATA: dataDir, PORT: '0' }, 'all'), createLogger({ level: 'silent' }), { ...options, seedDemo: true });
  return {
    node,
    url: node.url!,
    addUser: (login, password) => node.bus.call(UsersAdd, { login, password, contextId: 1, displayName: login, email: `${login}@example.org` }),
    close: async () => {
      await node.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Any HTTP method, as one user, with supertest; `body` sent as given. */
export function dav(url: string, login: string, password: string) {
  return (method: string, path: string, headers: Record<string, string> = {}, body?: string): request.Test => {
    const agent = request(url) as unknown as Record<string, (path: string) => request.Test>;
    let test = agent[method.toLowerCase()](path).set('Authorization', basicAuth(login, password)).set('User-Agent', DAVX5_UA);
    for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
    return body === undefined ? test : test.send(body);
  };
}

/** The hrefs of the user's calendars by display name, from a Depth 1 PROPFIND on the home. */
export async function calendarHrefs(send: ReturnType<typeof dav>): Promise<Record<string, string>> {
  const home = await send('PROPFIND', '/dav/caldav/', { Depth: '1', 'Content-Type': 'application/xml' }, '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>');
  const hrefs: Record<string, string> = {};
  for (const match of home.text.matchAll(/<d:href>([^<]+)<\/d:href><d:propstat><d:prop><d:displayname>([^<]*)<\/d:displayname>/g)) hrefs[match[2]] = match[1];
  return hrefs;
}

/** One embedded server for the enclosing describe block: started before its tests, closed after. */
export function embeddedServerPerSuite(options: EmbeddedServerOptions = {}): () => EmbeddedServer {
  let server: EmbeddedServer | undefined;
  beforeAll(async () => {
    server = await startEmbeddedServer(options);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('the embedded server has not started');
    return server;
  };
}
