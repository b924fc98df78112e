import { rmSync } from 'node:fs';
import { InProcessBroker } from '@davmesh/bus';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { migratedDataDir } from './embedded-data-dir.fixture';

/**
 * The embedded node a Jest worker shares among its suites (every role, PGlite, control
 * socket). It lives outside Jest's per-file module registry: tools/jest/environment.cjs
 * loads this file once per worker process and hands `workerNode` to every test file.
 * Suites never see each other's data: each asks for a context of its own and adds its
 * users there. Messages cross the broker as strings, so a spec attaches a bus client of
 * its own to it.
 */
export interface WorkerNode {
  url: string;
  /** The data directory; the CLI reaches the node through its control socket there (`DAVMESH_DATA`). */
  dataDir: string;
  broker: InProcessBroker;
  /** A context id no suite of this worker has used yet. */
  newContextId(): number;
}

let started: Promise<{ shared: WorkerNode; node: RunningNode }> | undefined;
let dataDirInUse: string | undefined;

async function start(): Promise<{ shared: WorkerNode; node: RunningNode }> {
  const dataDir = await migratedDataDir();
  dataDirInUse = dataDir;
  const broker = new InProcessBroker();
  const node = await startNode(loadSettings({ DAVMESH_DATA: dataDir, PORT: '0' }, 'all'), createLogger({ level: 'silent' }), { broker, controlSocket: true });
  let lastContextId = 100;
  return { node, shared: { url: node.url!, dataDir, broker, newContextId: () => ++lastContextId } };
}

export async function workerNode(): Promise<WorkerNode> {
  started ??= start();
  return (await started).shared;
}

/** Stops the node, if one started, and removes its data directory. */
export async function closeWorkerNode(): Promise<void> {
  if (!started) return;
  const { node, shared } = await started;
  started = undefined;
  await node.close();
  rmSync(shared.dataDir, { recursive: true, force: true });
  dataDirInUse = undefined;
}

/** For a worker that is about to exit: removes the data directory without waiting for a stop. */
export function abandonWorkerNode(): void {
  if (dataDirInUse) rmSync(dataDirInUse, { recursive: true, force: true });
}
