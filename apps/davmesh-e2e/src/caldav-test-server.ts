import { rmSync } from 'node:fs';
import { UsersAdd, type User } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type NodeOptions, type RunningNode } from '@davmesh/runtime';
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
