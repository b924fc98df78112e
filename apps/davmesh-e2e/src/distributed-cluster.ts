import { createBusClient, type BusClient } from '@davmesh/bus';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { createTestDatabase, randomSubjectPrefix, TEST_NATS_URL, type TestDatabase } from '@davmesh/testing';

/** Roles started one by one on real NATS and PostgreSQL, under a subject prefix of their own. */
export interface DistributedCluster {
  database: TestDatabase;
  bus: BusClient;
  /** DAVMESH_SUBJECT_PREFIX of the cluster's nodes. */
  prefix: string;
  start(role: string): Promise<RunningNode>;
}

/**
 * A fresh database and subject prefix for the enclosing describe block; `setup` starts the
 * roles it needs. Every node is closed and the database dropped after the block.
 */
export function distributedClusterPerSuite(setup: (cluster: DistributedCluster) => Promise<void>): () => DistributedCluster {
  const prefix = randomSubjectPrefix();
  const nodes: RunningNode[] = [];
  let cluster: DistributedCluster | undefined;
  beforeAll(async () => {
    const database = await createTestDatabase();
    const bus = await createBusClient({ kind: 'nats', servers: TEST_NATS_URL, prefix }, 'test');
    const start = async (role: string) => {
      const env = { NATS_URL: TEST_NATS_URL, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, PORT: '0' };
      const node = await startNode(loadSettings(env, role), createLogger({ level: 'silent' }));
      nodes.push(node);
      return node;
    };
    cluster = { database, bus, prefix, start };
    await setup(cluster);
  }, 60_000);
  afterAll(async () => {
    await cluster?.bus.close();
    for (const node of nodes.reverse()) await node.close();
    await cluster?.database.drop();
  });
  return () => {
    if (!cluster) throw new Error('the cluster has not started');
    return cluster;
  };
}
