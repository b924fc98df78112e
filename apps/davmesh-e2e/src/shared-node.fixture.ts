import { basename } from 'node:path';
import { createBusClient, type BusClient } from '@davmesh/bus';
import { ContextsAdd, UsersAdd, type User, type UsersAddRequest } from '@davmesh/contracts';
import { type WorkerNode } from './worker-node.fixture';

/**
 * A suite's share of the embedded node its Jest worker runs for all its suites
 * (worker-node.fixture.ts): a context of its own and a bus client of its own. Suites that
 * restart a node, write server config files or read its logs start their own instead.
 */
export interface SharedNode {
  url: string;
  /** The node's data directory; the CLI reaches it through the control socket there (`DAVMESH_DATA`). */
  dataDir: string;
  bus: BusClient;
  /** The suite's own context. */
  contextId: number;
  /** The suite's stand-in for demo/demo: a user of its context, made on joining. */
  demo: { user: User; login: string; password: string };
  /** Makes another context for the suite and returns its id. */
  addContext(name: string): Promise<number>;
  /**
   * Adds a user to the suite's context, named `login` but logging in as `user.login`: logins
   * are unique per node, so the context id is appended (`anna-101`). `details` replace the
   * defaults (display name `login`, email `login@example.org`).
   */
  addUser(login: string, password: string, details?: UserDetails): Promise<User>;
  /** Closes the suite's bus client; the node stays up for the worker's next suite. */
  close(): Promise<void>;
}

/** A user's display name and email, as `UsersAdd` takes them. */
export type UserDetails = Pick<UsersAddRequest, 'displayName' | 'email'>;

const WORKER_NODE = Symbol.for('davmesh.workerNode');

export async function joinWorkerNode(): Promise<SharedNode> {
  const workerNode = (globalThis as Record<symbol, unknown>)[WORKER_NODE] as (() => Promise<WorkerNode>) | undefined;
  if (!workerNode) throw new Error('no shared node in this test environment (tools/jest/environment.cjs, set in jest.config.js)');
  const shared = await workerNode();
  const bus = await createBusClient({ kind: 'in-process', broker: shared.broker }, 'spec');
  const addContext = async (name: string) => {
    const contextId = shared.newContextId();
    await bus.call(ContextsAdd, { contextId, name });
    return contextId;
  };
  const contextId = await addContext(basename(expect.getState().testPath ?? 'suite'));
  const demo = await bus.call(UsersAdd, { login: `demo-${contextId}`, password: 'demo', contextId, displayName: 'Demo User' });
  return {
    url: shared.url,
    dataDir: shared.dataDir,
    bus,
    contextId,
    demo: { user: demo, login: demo.login, password: 'demo' },
    addContext,
    addUser: (login, password, details = { displayName: login, email: `${login}@example.org` }) =>
      bus.call(UsersAdd, { login: `${login}-${contextId}`, password, contextId, ...details }),
    close: () => bus.close(),
  };
}

/** The worker's shared node for the enclosing describe block, joined before its tests. */
export function sharedNodePerSuite(): () => SharedNode {
  let node: SharedNode | undefined;
  beforeAll(async () => {
    node = await joinWorkerNode();
  }, 60_000);
  afterAll(async () => {
    await node?.close();
  });
  return () => {
    if (!node) throw new Error('the shared node has not been joined');
    return node;
  };
}
