import { Client } from 'pg';
import request from 'supertest';
import { createBusClient, type BusClient } from '@davmesh/bus';
import { ContextsAdd, UsersAdd } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { basicAuth, createTestDatabase, describeWithInfrastructure, eventually, PrivateNats, randomSubjectPrefix, type TestDatabase } from '@davmesh/testing';

describeWithInfrastructure('an edge node that reconnects to NATS forgets what events may have invalidated', () => {
  const prefix = randomSubjectPrefix();
  let nats: PrivateNats;
  let database: TestDatabase;
  const nodes: RunningNode[] = [];
  let edge: string;
  let bus: BusClient;

  beforeAll(async () => {
    nats = await PrivateNats.start();
    database = await createTestDatabase();
    const env = { NATS_URL: nats.url, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, PORT: '0' };
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
    await nats?.stop();
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

    await nats.restart();
    await eventually(async () => expect(await status('old')).toBe(401), 15_000);
    expect(await status('new')).toBe(207);
  }, 40_000);
});
