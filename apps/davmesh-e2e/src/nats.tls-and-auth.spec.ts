import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from 'nats';
import request from 'supertest';
import { ContextsAdd, UsersAdd } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import {
  basicAuth,
  createTestDatabase,
  describeRequiring,
  NatsOperator,
  natsServerInstalled,
  NATS_SERVER_BINARY,
  PRINCIPAL_PROPFIND,
  PrivateNats,
  randomSubjectPrefix,
  TestPki,
  type TestDatabase,
} from '@davmesh/testing';
import { runCli } from '@davmesh/cli';
import { runServe } from './serve-process.fixture';

const silent = createLogger({ level: 'silent' });

describeRequiring('NATS with TLS (client certificates required) and logins', natsServerInstalled() ? undefined : `no ${NATS_SERVER_BINARY}`, () => {
  const prefix = randomSubjectPrefix();
  let pki: TestPki;
  let nats: PrivateNats;
  let database: TestDatabase;
  let node: RunningNode;
  let tlsEnv: Record<string, string>;
  let seedFile: string;

  beforeAll(async () => {
    pki = await TestPki.create();
    const server = await pki.issue('nats-server');
    const client = await pki.issue('davmesh-client', { client: true });
    const nkeyUser = nkeys.createUser();
    seedFile = join(pki.dir, 'user.nk');
    writeFileSync(seedFile, new TextDecoder().decode(nkeyUser.getSeed()), { mode: 0o600 });
    nats = await PrivateNats.start(
      undefined,
      `tls {
        cert_file: "${server.certFile}"
        key_file: "${server.keyFile}"
        ca_file: "${pki.caFile}"
        verify: true
        timeout: 5
      }
      authorization {
        users = [
          { user: "davmesh", password: "pw of davmesh" }
          { nkey: "${nkeyUser.getPublicKey()}" }
        ]
      }`,
    );
    tlsEnv = { NATS_URL: nats.url, NATS_TLS_CA: pki.caFile, NATS_TLS_CERT: client.certFile, NATS_TLS_KEY: client.keyFile, DAVMESH_SUBJECT_PREFIX: prefix };
    database = await createTestDatabase();
    const env = { ...tlsEnv, NATS_USER: 'davmesh', NATS_PASSWORD: 'pw of davmesh', DATABASE_URL: database.url, PORT: '0' };
    node = await startNode(loadSettings(env, 'all'), silent);
    await node.bus.call(ContextsAdd, { contextId: 1 });
    await node.bus.call(UsersAdd, { login: 'anna', password: 'anna-pw', contextId: 1 });
  }, 90_000);

  afterAll(async () => {
    await node?.close();
    await nats?.stop();
    await database?.drop();
    pki?.remove();
  });

  it('serves a PROPFIND through roles that reach each other over TLS with a password login', async () => {
    const response = await request(node.url!)
      .propfind('/dav/')
      .set('Authorization', basicAuth('anna', 'anna-pw'))
      .set('Depth', '0')
      .set('Content-Type', 'application/xml; charset=utf-8')
      .send(PRINCIPAL_PROPFIND);
    expect(response.status).toBe(207);
    const connz = (await (await fetch(`http://127.0.0.1:${nats.monitorPort}/connz?auth=true`)).json()) as {
      connections: { name?: string; tls_version?: string; authorized_user?: string }[];
    };
    const ours = connz.connections.filter((c) => c.name?.startsWith('davmesh-'));
    expect(ours.length).toBeGreaterThan(0);
    for (const connection of ours) {
      expect(connection.tls_version).toMatch(/^1\.[23]$/);
      expect(connection.authorized_user).toBe('davmesh');
    }
  });

  it('lets `davmesh health` log in with an nkey seed file', async () => {
    const printed: string[] = [];
    const code = await runCli(['health', '--role', 'config'], { ...tlsEnv, NATS_NKEY_SEED_FILE: seedFile }, (line) => printed.push(line));
    expect(code).toBe(0);
    expect(printed[0]).toMatch(/^config answered: /);
  });

  it('fails a start with a wrong password in one line that names the settings to check', async () => {
    const result = await runServe('edge', { ...tlsEnv, NATS_USER: 'davmesh', NATS_PASSWORD: 'wrong', PORT: '0' });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `davmesh: cannot start: cannot connect to NATS at ${nats.url}: the server refused the credentials (check NATS_USER/NATS_PASSWORD, NATS_NKEY_SEED_FILE or NATS_CREDS_FILE)`,
    );
  }, 45_000);

  it('fails a start without the client certificate the server requires', async () => {
    const result = await runServe('edge', { NATS_URL: nats.url, NATS_TLS_CA: pki.caFile, NATS_USER: 'davmesh', NATS_PASSWORD: 'pw of davmesh', PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`davmesh: cannot start: cannot connect to NATS at ${nats.url}: no answer in time`);
    expect(result.stderr).toContain('NATS_TLS_CERT and NATS_TLS_KEY');
  }, 45_000);
});

describeRequiring('NATS in operator mode: a login with a .creds file (user JWT and nkey seed)', natsServerInstalled() ? undefined : `no ${NATS_SERVER_BINARY}`, () => {
  const prefix = randomSubjectPrefix();
  let dir: string;
  let nats: PrivateNats;
  let database: TestDatabase;
  let node: RunningNode;
  let account: string;
  const credsFiles: Record<'good' | 'revoked' | 'strangers', string> = { good: '', revoked: '', strangers: '' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'davmesh-creds-'));
    const operator = new NatsOperator();
    account = operator.account.getPublicKey();
    const users = { good: operator.userCreds('davmesh'), revoked: operator.userCreds('davmesh-old'), strangers: operator.userCreds('stranger', nkeys.createAccount()) };
    operator.revoke(users.revoked.publicKey);
    for (const [name, { creds }] of Object.entries(users)) {
      credsFiles[name as keyof typeof credsFiles] = join(dir, `${name}.creds`);
      writeFileSync(join(dir, `${name}.creds`), creds, { mode: 0o600 });
    }
    nats = await PrivateNats.start(undefined, operator.serverConfig());
    database = await createTestDatabase();
    const env = { NATS_URL: nats.url, NATS_CREDS_FILE: credsFiles.good, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, PORT: '0' };
    node = await startNode(loadSettings(env, 'config'), silent);
  }, 90_000);

  afterAll(async () => {
    await node?.close();
    await nats?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a role and `davmesh health` log in as the user of the account the operator signed', async () => {
    const printed: string[] = [];
    const code = await runCli(['health', '--role', 'config'], { NATS_URL: nats.url, NATS_CREDS_FILE: credsFiles.good, DAVMESH_SUBJECT_PREFIX: prefix }, (line) => printed.push(line));
    expect(code).toBe(0);
    expect(printed[0]).toMatch(/^config answered: /);
    const connz = (await (await fetch(`http://127.0.0.1:${nats.monitorPort}/connz?auth=true`)).json()) as { connections: { name?: string; account?: string }[] };
    const ours = connz.connections.filter((c) => c.name?.startsWith('davmesh-'));
    expect(ours.length).toBeGreaterThan(0);
    for (const connection of ours) expect(connection.account).toBe(account);
  });

  it.each([
    ['revoked by the account', 'revoked'],
    ['signed by an account the server does not know', 'strangers'],
  ] as const)('fails a start with a user %s in one line', async (_, which) => {
    const result = await runServe('edge', { NATS_URL: nats.url, NATS_CREDS_FILE: credsFiles[which], DAVMESH_SUBJECT_PREFIX: prefix, PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `davmesh: cannot start: cannot connect to NATS at ${nats.url}: the server refused the credentials (check NATS_USER/NATS_PASSWORD, NATS_NKEY_SEED_FILE or NATS_CREDS_FILE)`,
    ]);
  }, 45_000);
});
