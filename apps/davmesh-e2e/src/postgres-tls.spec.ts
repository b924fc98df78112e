import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import {
  createTestDatabase,
  describeRequiring,
  describeWithInfrastructure,
  postgresBinDir,
  PrivatePostgres,
  randomSubjectPrefix,
  randomSuffix,
  TEST_NATS_URL,
  TestPki,
  type IssuedCertificate,
} from '@davmesh/testing';
import { runCli } from '@davmesh/cli';
import { runServe } from './serve-process.fixture';

const silent = createLogger({ level: 'silent' });

interface SslRow {
  usename: string;
  ssl: boolean;
  version: string | null;
  client_dn: string | null;
}

/** `davmesh migrate` in this process: its exit code, what it printed and what it wrote to stderr. */
async function migrate(databaseUrl: string): Promise<{ code: number; printed: string[]; errors: string[] }> {
  const printed: string[] = [];
  const errors: string[] = [];
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    errors.push(...String(chunk).trim().split('\n'));
    return true;
  });
  try {
    const code = await runCli(['migrate'], { DATABASE_URL: databaseUrl }, (line) => printed.push(line));
    return { code, printed, errors };
  } finally {
    stderr.mockRestore();
  }
}

describeRequiring('PostgreSQL over TLS: sslmode with libpq\'s meaning', postgresBinDir() ? undefined : 'PostgreSQL server binaries (apt-get install postgresql)', () => {
  let pki: TestPki;
  let otherPki: TestPki;
  let clientCertificate: IssuedCertificate;
  let postgres: PrivatePostgres;

  beforeAll(async () => {
    pki = await TestPki.create();
    otherPki = await TestPki.create('a CA PostgreSQL never heard of');
    // The server's certificate names 127.0.0.1 only: `localhost` reaches it under a name it does not carry.
    const server = await pki.issue('postgres-server', { hosts: ['127.0.0.1'] });
    // clientcert=verify-full: the certificate's CN is the user name.
    clientCertificate = await pki.issue('davmesh', { client: true });
    postgres = await PrivatePostgres.start({
      tls: { certFile: server.certFile, keyFile: server.keyFile, caFile: pki.caFile },
      hba: [
        'local all postgres trust',
        'hostssl all postgres 127.0.0.1/32 trust',
        'hostssl all davmesh 127.0.0.1/32 trust clientcert=verify-full',
        'hostnossl all all 127.0.0.1/32 reject',
      ],
    });
    await postgres.query('CREATE ROLE davmesh LOGIN');
  }, 120_000);

  afterAll(async () => {
    await postgres?.stop();
    pki?.remove();
    otherPki?.remove();
  });

  async function database(owner = 'postgres'): Promise<string> {
    const name = `davmesh_tls_${randomSuffix()}`;
    await postgres.query(`CREATE DATABASE "${name}" OWNER "${owner}"`);
    return name;
  }

  const url = (db: string, query: string, host = '127.0.0.1', user = 'postgres') => `postgres://${user}@${host}:${postgres.port}/${db}?${query}`;

  it('migrates with sslmode=verify-full and the CA in sslrootcert', async () => {
    const result = await migrate(url(await database(), `sslmode=verify-full&sslrootcert=${pki.caFile}`));
    expect(result.code).toBe(0);
    expect(result.printed.map((line) => line.split(' ')[1])).toEqual(['config', 'calendar', 'contacts']);
  }, 60_000);

  it('connects with sslmode=require to a certificate no CA it knows signed (encrypted, not verified)', async () => {
    expect((await migrate(url(await database(), 'sslmode=require'))).code).toBe(0);
  }, 60_000);

  it('checks the chain with sslmode=verify-ca but not the name', async () => {
    expect((await migrate(url(await database(), `sslmode=verify-ca&sslrootcert=${pki.caFile}`, 'localhost'))).code).toBe(0);
  }, 60_000);

  it('takes TLS with sslmode=prefer when the server offers it', async () => {
    expect((await migrate(url(await database(), 'sslmode=prefer'))).code).toBe(0);
  }, 60_000);

  it('falls back with sslmode=allow to TLS when the server refuses a plain connection', async () => {
    expect((await migrate(url(await database(), 'sslmode=allow'))).code).toBe(0);
  }, 60_000);

  it('fails a start with sslmode=verify-full and another CA in one line', async () => {
    const db = await database();
    const result = await runServe('config', { NATS_URL: TEST_NATS_URL, DATABASE_URL: url(db, `sslmode=verify-full&sslrootcert=${otherPki.caFile}`) });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `davmesh: cannot start: cannot connect to PostgreSQL at 127.0.0.1:${postgres.port}/${db} (sslmode=verify-full): self-signed certificate in certificate chain`,
    ]);
  }, 60_000);

  it('fails a start with sslmode=verify-full and a host name the certificate does not carry', async () => {
    const db = await database();
    const result = await runServe('config', { NATS_URL: TEST_NATS_URL, DATABASE_URL: url(db, `sslmode=verify-full&sslrootcert=${pki.caFile}`, 'localhost') });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `davmesh: cannot start: cannot connect to PostgreSQL at localhost:${postgres.port}/${db} (sslmode=verify-full): Hostname/IP does not match certificate's altnames: Host: localhost. is not cert's CN: postgres-server`,
    ]);
  }, 60_000);

  it('refuses sslmode=require with the wrong CA in sslrootcert (libpq then checks the chain)', async () => {
    const db = await database();
    const result = await runServe('config', { NATS_URL: TEST_NATS_URL, DATABASE_URL: url(db, `sslmode=require&sslrootcert=${otherPki.caFile}`) });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `davmesh: cannot start: cannot connect to PostgreSQL at 127.0.0.1:${postgres.port}/${db} (sslmode=require): self-signed certificate in certificate chain`,
    ]);
  }, 60_000);

  it('is refused with sslmode=disable by a server that takes TLS connections only', async () => {
    const db = await database();
    const result = await runServe('config', { NATS_URL: TEST_NATS_URL, DATABASE_URL: url(db, 'sslmode=disable') });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `davmesh: cannot start: cannot connect to PostgreSQL at 127.0.0.1:${postgres.port}/${db} (sslmode=disable): pg_hba.conf rejects connection for host "127.0.0.1", user "postgres", database "${db}", no encryption`,
    ]);
  }, 60_000);

  it('fails a start whose sslrootcert is missing in one line naming the file, before connecting to anything', async () => {
    const missing = `${pki.dir}/nowhere/ca.crt`;
    const result = await runServe('config', { NATS_URL: 'nats://127.0.0.1:1', DATABASE_URL: url('any', `sslmode=verify-full&sslrootcert=${missing}`) });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([`davmesh: cannot start: DATABASE_URL: sslrootcert ${missing}: no such file`]);
  }, 60_000);

  it('ends `davmesh migrate` with a client certificate without its key in one line', async () => {
    const result = await migrate(url('any', `sslmode=verify-full&sslrootcert=${pki.caFile}&sslcert=${clientCertificate.certFile}`));
    expect(result.code).toBe(1);
    expect(result.errors).toEqual(['davmesh: DATABASE_URL: sslcert and sslkey go together (a client certificate and its key): set both or neither']);
  }, 60_000);

  describeWithInfrastructure('the shared PostgreSQL, which has no TLS', () => {
    it('is reached with sslmode=prefer (and without sslmode, libpq\'s default) over a plain connection', async () => {
      const shared = await createTestDatabase();
      try {
        expect((await migrate(`${shared.url}?sslmode=prefer`)).code).toBe(0);
        expect((await migrate(shared.url)).code).toBe(0);
      } finally {
        await shared.drop();
      }
    }, 60_000);
  });

  describeWithInfrastructure('a role with a client certificate the server requires', () => {
    let node: RunningNode | undefined;
    afterAll(async () => {
      await node?.close();
    });

    it('is refused without one', async () => {
      const db = await database('davmesh');
      const result = await migrate(url(db, `sslmode=verify-full&sslrootcert=${pki.caFile}`, '127.0.0.1', 'davmesh'));
      expect(result.code).toBe(1);
      expect(result.errors).toEqual([
        `davmesh: cannot connect to PostgreSQL at 127.0.0.1:${postgres.port}/${db} (sslmode=verify-full): connection requires a valid client certificate`,
      ]);
    }, 60_000);

    it('connects over TLS as the certificate\'s user: pg_stat_ssl shows every connection of the role encrypted', async () => {
      const db = await database('davmesh');
      const databaseUrl = url(db, `sslmode=verify-full&sslrootcert=${pki.caFile}&sslcert=${clientCertificate.certFile}&sslkey=${clientCertificate.keyFile}`, '127.0.0.1', 'davmesh');
      expect((await migrate(databaseUrl)).code).toBe(0);
      const env = { NATS_URL: TEST_NATS_URL, DATABASE_URL: databaseUrl, DAVMESH_SUBJECT_PREFIX: randomSubjectPrefix(), DAVMESH_MIGRATIONS: 'wait', PORT: '0' };
      node = await startNode(loadSettings(env, 'config'), silent);
      const rows = await postgres.query<SslRow>(
        'SELECT a.usename, s.ssl, s.version, s.client_dn FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.datname = $1',
        [db],
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row).toEqual({ usename: 'davmesh', ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/), client_dn: '/CN=davmesh' });
    }, 60_000);
  });
});
