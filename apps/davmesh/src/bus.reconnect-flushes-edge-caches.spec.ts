import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { createBusClient, type BusClient } from '@davmesh/bus';
import { ContextsAdd, UsersAdd } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { basicAuth, createTestDatabase, describeWithInfrastructure, eventually, randomSubjectPrefix, type TestDatabase } from '@davmesh/testing';

const NATS_SERVER = '/usr/sbin/nats-server';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function startNats(port: number): Promise<ChildProcess> {
  const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  await eventually(async () => expect(await portOpen(port)).toBe(true));
  return child;
}

async function stopNats(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describeWithInfrastructure('an edge node that reconnects to NATS forgets what events may have invalidated', () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const prefix = randomSubjectPrefix();
  let nats: ChildProcess;
  let database: TestDatabase;
  const nodes: RunningNode[] = [];
  let edge: string;
  let bus: BusClient;

  beforeAll(async () => {
    nats = await startNats(port);
    database = await createTestDatabase();
    const env = { NATS_URL: `nats://127.0.0.1:${port}`, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, PORT: '0' };
    nodes.push(await startNode(loadSettings(env, 'config'), createLogger({ level: 'silent' })));
    const edgeNode = await startNode(loadSettings(env, 'edge'), createLogger({ level: 'silent' }));
    nodes.push(edgeNode);
    edge = edgeNode.url!;
    bus = await createBusClient({ kind: 'nats', servers: env.NATS_URL, prefix }, 'test');
    await bus.call(ContextsAdd, { contextId: 1 });
    await bus.call(UsersAdd, { login: 'anna', password: 'old', contextId: 1 });
    await bus.call(UsersAdd, { login: 'donor', password: 'new', contextId: 1 });
  }, 60_000);

  afterAll(async () => {
    await bus?.close();
    for (const node of nodes.reverse()) await node.close();
    if (nats.exitCode === null) await stopNats(nats);
    await database?.drop();
  });

  const status = async (password: string) =>
    (await request(edge).propfind('/dav/').set('Authorization', basicAuth('anna', password)).set('Depth', '0').send('')).status;

  it('drops cached logins after a reconnect, so a change whose event was lost takes effect', async () => {
    expect(await status('old')).toBe(207);
    // A change the edge never hears of: the password is replaced in the database, no event.
    const db = new Client({ connectionString: database.url });
    await db.connect();
    await db.query(`UPDATE config.users SET password_hash = (SELECT password_hash FROM config.users WHERE login = 'donor') WHERE login = 'anna'`);
    await db.end();
    expect(await status('old')).toBe(207);

    await stopNats(nats);
    nats = await startNats(port);
    await eventually(async () => expect(await status('old')).toBe(401), 15_000);
    expect(await status('new')).toBe(207);
  }, 40_000);
});
