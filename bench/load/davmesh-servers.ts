import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBusClient } from '@davmesh/bus';
import { ContextsAdd, UsersAdd } from '@davmesh/contracts';
import { createTestDatabase, randomSubjectPrefix, RoleProcess, TEST_NATS_URL, type ClusterRole } from '@davmesh/testing';
import { cpuMs } from '../process-cpu';
import { DatabaseCpu } from './database-cpu';
import { analyzeDatabase } from './database-statistics';
import { type LoadServer } from './servers';

/** `npm start`: every role in one process on PGlite, with the demo user its first start makes. */
export async function startEmbedded(): Promise<LoadServer> {
  const data = mkdtempSync(join(tmpdir(), 'davmesh-load-'));
  const node = new RoleProcess('all', 'embedded', { NATS_URL: '', DAVMESH_DATA: data, PORT: '0', HOST: '127.0.0.1', DAVMESH_CONFIG_DIR: join(data, 'config') });
  try {
    await node.start();
  } catch (error) {
    rmSync(data, { recursive: true, force: true });
    throw error;
  }
  return {
    urls: [node.url!],
    user: 'demo',
    password: 'demo',
    collections: { calendar: '/dav/caldav/load/', book: '/dav/carddav/load/' },
    cpuMs: () => cpuMs(node.pid!),
    forgetLogs: () => void node.logs.splice(0),
    async stop() {
      await node.signal('SIGTERM');
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/**
 * One process per role (`serve --role`) on the machine's NATS and PostgreSQL, with a fresh
 * database and subject prefix; `replicas` of each role, the clients spread over the edges.
 * CPU: the role processes and the PostgreSQL backends of the database (NATS, shared with
 * whatever else runs on the machine, is left out).
 */
export async function startDistributed(replicas: number): Promise<LoadServer> {
  const database = await createTestDatabase();
  const prefix = randomSubjectPrefix();
  const env = { NATS_URL: TEST_NATS_URL, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, HOST: '127.0.0.1', PORT: '0' };
  const roles: ClusterRole[] = ['config', 'calendar', 'contacts', 'edge'];
  const processes = roles.flatMap((role) => Array.from({ length: replicas }, (_, i) => new RoleProcess(role, `${role}-${i + 1}`, env)));
  const databaseName = new URL(database.url).pathname.slice(1);
  const databaseCpu = await DatabaseCpu.start(databaseName);
  const stop = async () => {
    databaseCpu.stop();
    await Promise.all(processes.map((p) => p.signal('SIGTERM', 10_000)));
    await database.drop().catch(() => undefined);
  };
  try {
    // Config first: the others ask it for settings as they start.
    for (const role of roles) await Promise.all(processes.filter((p) => p.role === role).map((p) => p.start()));
    const bus = await createBusClient({ kind: 'nats', servers: TEST_NATS_URL, prefix }, 'load-bench');
    try {
      const context = await bus.request(ContextsAdd, { contextId: 1 });
      if (!context.ok && context.error.code !== 'conflict') throw new Error(`cannot add context 1: ${context.error.message}`);
      await bus.call(UsersAdd, { login: 'load', password: 'load', contextId: 1, email: 'load@example.org' });
    } finally {
      await bus.close();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    urls: processes.filter((p) => p.role === 'edge').map((p) => p.url!),
    user: 'load',
    password: 'load',
    collections: { calendar: '/dav/caldav/load/', book: '/dav/carddav/load/' },
    cpuMs: () => processes.reduce((sum, p) => sum + cpuMs(p.pid!), 0) + databaseCpu.cpuMs(),
    afterSeed: () => analyzeDatabase(databaseName),
    forgetLogs: () => processes.forEach((p) => void p.logs.splice(0)),
    stop,
  };
}
