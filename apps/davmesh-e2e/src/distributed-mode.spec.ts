import { connect } from 'nats';
import request from 'supertest';
import { createBusClient, prefixed, type BusClient } from '@davmesh/bus';
import {
  CalendarHealth,
  ConfigHealth,
  ContactsHealth,
  ContextsAdd,
  UsersAdd,
  UsersSetEnabled,
  UsersSetPassword,
} from '@davmesh/contracts';
import { CALENDAR_SERVICE_SCHEMA } from '@davmesh/calendar-service';
import { CONTACTS_SERVICE_SCHEMA } from '@davmesh/contacts-service';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import {
  basicAuth,
  createTestDatabase,
  describeWithInfrastructure,
  hrefsOf,
  parseMultistatus,
  PRINCIPAL_PROPFIND,
  randomSubjectPrefix,
  TEST_NATS_URL,
  type TestDatabase,
  eventually,
} from '@davmesh/testing';

const silent = createLogger({ level: 'silent' });

/** The name TypeORM records for the newest migration a service ships. */
function latestMigrationOf(schema: { migrations: (new () => { name?: string })[] }): string | undefined {
  const Newest = schema.migrations.at(-1);
  return Newest && (new Newest().name ?? Newest.name);
}

describeWithInfrastructure('distributed mode: each service on its own, over real NATS and PostgreSQL', () => {
  const prefix = randomSubjectPrefix();
  let database: TestDatabase;
  const nodes: RunningNode[] = [];
  let edgeA: string;
  let edgeB: string;
  let bus: BusClient;

  const start = async (role: string) => {
    const env = { NATS_URL: TEST_NATS_URL, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, PORT: '0' };
    const node = await startNode(loadSettings(env, role), silent);
    nodes.push(node);
    return node;
  };

  const propfind = (edge: string, login: string, password: string) =>
    request(edge)
      .propfind('/dav/')
      .set('Authorization', basicAuth(login, password))
      .set('Depth', '0')
      .set('Content-Type', 'application/xml; charset=utf-8')
      .send(PRINCIPAL_PROPFIND);

  beforeAll(async () => {
    database = await createTestDatabase();
    // Two config replicas start together: their migrations must not collide.
    await Promise.all([start('config'), start('config')]);
    await start('calendar');
    await start('contacts');
    edgeA = (await start('edge')).url!;
    edgeB = (await start('edge')).url!;
    bus = await createBusClient({ kind: 'nats', servers: TEST_NATS_URL, prefix }, 'test');
    await bus.call(ContextsAdd, { contextId: 1 });
    await bus.call(UsersAdd, { login: 'anna', password: 'anna-pw', contextId: 1, email: 'anna@example.org', displayName: 'Anna' });
  }, 60_000);

  afterAll(async () => {
    await bus?.close();
    for (const node of nodes.reverse()) await node.close();
    await database?.drop();
  });

  it('answers the principal PROPFIND through the edge, the bus and PostgreSQL', async () => {
    const response = await propfind(edgeA, 'anna', 'anna-pw');
    expect(response.status).toBe(207);
    const [root] = await parseMultistatus(response.text);
    const [principal] = hrefsOf(root.found.get('{DAV:}current-user-principal'));
    expect(principal).toMatch(/^\/dav\/principals\/users\/\d+\/$/);
    expect(root.found.get('{DAV:}displayname')?.text).toBe('Anna');
    expect(hrefsOf(root.found.get('{urn:ietf:params:xml:ns:caldav}calendar-user-address-set'))).toContain('mailto:anna@example.org');
  });

  it('spreads requests over both config replicas, and every service answers health from its own schema', async () => {
    const instances = new Set<string>();
    for (let i = 0; i < 20; i++) instances.add((await bus.call(ConfigHealth, {})).instanceId);
    expect(instances.size).toBe(2);
    expect((await bus.call(CalendarHealth, {})).schemaVersion).toBe(latestMigrationOf(CALENDAR_SERVICE_SCHEMA));
    expect((await bus.call(ContactsHealth, {})).schemaVersion).toBe(latestMigrationOf(CONTACTS_SERVICE_SCHEMA));
  });

  it('gives a wrong password, an unknown user and a disabled user the same 401', async () => {
    await bus.call(UsersAdd, { login: 'dis', password: 'dis-pw', contextId: 1 });
    await bus.call(UsersSetEnabled, { login: 'dis', enabled: false });
    const answers = await Promise.all([
      propfind(edgeA, 'anna', 'wrong'),
      propfind(edgeA, 'nobody', 'anna-pw'),
      propfind(edgeA, 'dis', 'dis-pw'),
      request(edgeA).propfind('/dav/').send(),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Basic realm="davmesh", charset="UTF-8"');
      expect(answer.text).toBe(answers[0].text);
    }
  });

  it('forgets a changed password on every edge node', async () => {
    await bus.call(UsersAdd, { login: 'carl', password: 'old-pw', contextId: 1 });
    expect((await propfind(edgeA, 'carl', 'old-pw')).status).toBe(207);
    expect((await propfind(edgeB, 'carl', 'old-pw')).status).toBe(207);
    await bus.call(UsersSetPassword, { login: 'carl', password: 'new-pw' });
    await eventually(async () => {
      expect((await propfind(edgeA, 'carl', 'old-pw')).status).toBe(401);
      expect((await propfind(edgeB, 'carl', 'old-pw')).status).toBe(401);
    });
    expect((await propfind(edgeB, 'carl', 'new-pw')).status).toBe(207);
  });

  it('locks out a disabled user on every edge node that had them cached', async () => {
    await bus.call(UsersAdd, { login: 'eve', password: 'eve-pw', contextId: 1 });
    expect((await propfind(edgeA, 'eve', 'eve-pw')).status).toBe(207);
    expect((await propfind(edgeB, 'eve', 'eve-pw')).status).toBe(207);
    await bus.call(UsersSetEnabled, { login: 'eve', enabled: false });
    await eventually(async () => {
      expect((await propfind(edgeA, 'eve', 'eve-pw')).status).toBe(401);
      expect((await propfind(edgeB, 'eve', 'eve-pw')).status).toBe(401);
    });
  });

  it('answers a malformed bus message with an error code and keeps serving', async () => {
    const connection = await connect({ servers: TEST_NATS_URL });
    try {
      const reply = await connection.request(prefixed(prefix, UsersAdd.subject), new TextEncoder().encode('\u0000not json'), {
        timeout: 3000,
      });
      const packet = JSON.parse(new TextDecoder().decode(reply.data)) as { response: { error: { code: string } } };
      expect(packet.response.error.code).toBe('bad-request');
    } finally {
      await connection.close();
    }
    expect((await propfind(edgeA, 'anna', 'anna-pw')).status).toBe(207);
  });
});
