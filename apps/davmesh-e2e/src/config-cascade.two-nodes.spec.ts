import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createBusClient, type BusClient } from '@davmesh/bus';
import { ConfigFilesReload, ConfigHealth, ConfigResolve, ContextsAdd, UsersAdd, type User } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import {
  basicAuth,
  createTestDatabase,
  describeWithInfrastructure,
  parseMultistatus,
  PRINCIPAL_PROPFIND,
  randomSubjectPrefix,
  TEST_NATS_URL,
  type TestDatabase,
  eventually,
} from '@davmesh/testing';
import { runCli } from '@davmesh/cli';

const ADDRESSBOOK_HOME = '{urn:ietf:params:xml:ns:carddav}addressbook-home-set';

describeWithInfrastructure('config hot reload on two config nodes and two edge nodes (NATS + PostgreSQL)', () => {
  const prefix = randomSubjectPrefix();
  let database: TestDatabase;
  let configDir: string;
  const nodes: RunningNode[] = [];
  const edges: string[] = [];
  let bus: BusClient;
  let anna: User;

  const start = async (role: string) => {
    const env = {
      NATS_URL: TEST_NATS_URL,
      DATABASE_URL: database.url,
      DAVMESH_SUBJECT_PREFIX: prefix,
      DAVMESH_CONFIG_DIR: configDir,
      DAVMESH_CONFIG_POLL_MS: '100',
      PORT: '0',
    };
    const node = await startNode(loadSettings(env, role), createLogger({ level: 'silent' }));
    nodes.push(node);
    return node;
  };

  const addressBookHomeOn = async (edge: string) => {
    const response = await request(edge).propfind('/dav/').set('Authorization', basicAuth('anna', 'pw')).set('Depth', '0').send(PRINCIPAL_PROPFIND);
    const [principal] = await parseMultistatus(response.text);
    return principal.found.has(ADDRESSBOOK_HOME);
  };

  const reloadOnBothReplicas = async () => {
    const states = await bus.gather(ConfigFilesReload, {}, { maxWaitMs: 10_000, enough: (replies) => replies.length === 2 });
    expect(new Set(states.map((s) => s.instanceId)).size).toBe(2);
    return states;
  };

  /** Asks often enough that both replicas of the queue group answer. */
  const everyReplicaSays = async (expected: boolean) => {
    const seen = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const config = await bus.call(ConfigResolve, { userId: anna.userId });
      if (config.values['com.openexchange.carddav.enabled'].value !== expected) return false;
      seen.add((await bus.call(ConfigHealth, {})).instanceId);
    }
    return seen.size === 2;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    configDir = mkdtempSync(join(tmpdir(), 'davmesh-reload-'));
    mkdirSync(join(configDir, 'contextSets'));
    writeFileSync(join(configDir, 'carddav.properties'), 'com.openexchange.carddav.enabled=true\n');
    await start('config');
    await start('config');
    edges.push((await start('edge')).url!, (await start('edge')).url!);
    bus = await createBusClient({ kind: 'nats', servers: TEST_NATS_URL, prefix }, 'test');
    await bus.call(ContextsAdd, { contextId: 1, tags: ['ucInfostore'] });
    anna = await bus.call(UsersAdd, { login: 'anna', password: 'pw', contextId: 1 });
  }, 60_000);

  afterAll(async () => {
    await bus?.close();
    for (const node of nodes.reverse()) await node.close();
    await database?.drop();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('applies an edited file on every node, and keeps the last good one on every node when a file is bad', async () => {
    for (const edge of edges) expect(await addressBookHomeOn(edge)).toBe(true);

    writeFileSync(join(configDir, 'carddav.properties'), 'com.openexchange.carddav.enabled=false\n');
    await eventually(async () => {
      expect(await everyReplicaSays(false)).toBe(true);
      for (const edge of edges) expect(await addressBookHomeOn(edge)).toBe(false);
    });

    writeFileSync(join(configDir, 'contextSets', 'carddav.yml'), 'premium:\n  com.openexchange.carddav.enabled: ture\n  withTags: ucInfostore\n');
    const refused = await reloadOnBothReplicas();
    expect(refused.map((r) => [r.applied, r.problems.map((p) => p.where)])).toEqual([
      [false, ['contextSets/carddav.yml:2']],
      [false, ['contextSets/carddav.yml:2']],
    ]);
    expect(await everyReplicaSays(false)).toBe(true);
    for (const edge of edges) expect(await addressBookHomeOn(edge)).toBe(false);

    writeFileSync(join(configDir, 'contextSets', 'carddav.yml'), 'premium:\n  com.openexchange.carddav.enabled: true\n  withTags: ucInfostore\n');
    const lines: string[] = [];
    const cli = { NATS_URL: TEST_NATS_URL, DAVMESH_SUBJECT_PREFIX: prefix };
    expect(await runCli(['config', 'reload', '--replicas', '2'], cli, (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/\tin force\t\(files \w{12}\)$/), expect.stringMatching(/\tin force\t/)]);
    expect(new Set(lines.map((line) => line.slice(line.lastIndexOf('\t'))))).toHaveProperty('size', 1);
    // The reload answers once every edge dropped what the files replaced: no waiting here.
    expect(await everyReplicaSays(true)).toBe(true);
    for (const edge of edges) expect(await addressBookHomeOn(edge)).toBe(true);
  });
});
