import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEST_NATS_URL = process.env.DAVMESH_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const TEST_PG_ADMIN_URL = process.env.DAVMESH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function hostPort(url: string, defaultPort: number): [string, number] {
  const parsed = new URL(url);
  return [parsed.hostname, Number(parsed.port || defaultPort)];
}

/** Synchronous TCP probe, so a suite can decide at definition time whether it runs. */
function reachable(url: string, defaultPort: number): boolean {
  const [host, port] = hostPort(url, defaultPort);
  const script = `const s=require('net').connect(${port},${JSON.stringify(host)});s.setTimeout(1000);s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));s.on('timeout',()=>process.exit(1));`;
  try {
    execFileSync(process.execPath, ['-e', script], { stdio: 'ignore', timeout: 3000 });
    return true;
  } catch {
    return false;
  }
}

let probed: { nats: boolean; postgres: boolean } | undefined;

/**
 * `describe` for suites that need real NATS and PostgreSQL. With CI=true they always
 * run (and fail if the services are down); elsewhere they are skipped with a reason.
 */
export function describeWithInfrastructure(name: string, body: () => void): void {
  probed ??= { nats: reachable(TEST_NATS_URL, 4222), postgres: reachable(TEST_PG_ADMIN_URL, 5432) };
  const missing = [!probed.nats && `NATS at ${TEST_NATS_URL}`, !probed.postgres && `PostgreSQL at ${TEST_PG_ADMIN_URL}`].filter((m) => m !== false);
  describeRequiring(name, missing.length ? `${missing.join(' and ')} unreachable` : undefined, body);
}

/**
 * `describe` for a suite that needs something outside the repository (a service, an
 * installed client): `missing` says what is absent. With CI=true the suite always runs
 * (and fails without it); elsewhere it is skipped with the reason.
 */
export function describeRequiring(name: string, missing: string | undefined, body: () => void): void {
  if (missing === undefined || process.env.CI === 'true') {
    describe(name, body);
    return;
  }
  const reason = `${missing}; set CI=true to make this a failure`;
  process.stderr.write(`skipping "${name}": ${reason}\n`);
  const skipped = describe.skip;
  skipped(`${name} (skipped: ${reason})`, body);
}

export function randomSuffix(): string {
  return randomBytes(5).toString('hex');
}

/** A unique subject prefix, so parallel runs on one NATS never hear each other. */
export function randomSubjectPrefix(): string {
  return `test-${randomSuffix()}`;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database of its own for one suite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `davmesh_test_${randomSuffix()}`;
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
