import { type PGlite } from '@electric-sql/pglite';
import { DataSource, type MixedList } from 'typeorm';
import { type PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { pglitePgModule } from './pglite-pool';
import { NamedStatementClient } from './postgres-named-statements';
import { postgresConnection, worthTheOtherAttempt } from './postgres-tls';
import { waitForSchema } from './schema-wait';

export type StorageTarget =
  | {
      kind: 'postgres';
      url: string;
      migrations?: MigrationPolicy;
      /** Statements with parameters prepared by name, once per connection (the default; `NamedStatementClient`). */
      preparedStatements?: boolean;
    }
  | { kind: 'pglite'; db: PGlite };

/**
 * What a service does with its schema when it opens PostgreSQL: `run` its migrations (the default),
 * or `wait`, bounded, until something else (`davmesh migrate`) has applied the newest one it ships.
 */
export type MigrationPolicy =
  | { kind: 'run' }
  | { kind: 'wait'; waitSeconds: number; pollMs?: number; onWaiting?: (schema: string, pending: string[]) => void };

export interface ServiceSchema {
  /** PostgreSQL schema that holds every table of the service. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
}

export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

const CONNECT_TIMEOUT_MS = 5000;

/**
 * Connects, creates the service's schema and runs its migrations. Never `synchronize`:
 * the migrations are the schema. No entities: the services' repositories speak SQL
 * (docs/ARCHITECTURE.md, Persistence). On PostgreSQL an advisory lock keeps replicas that
 * start together from migrating at once.
 */
export async function openServiceDataSource(target: StorageTarget, service: ServiceSchema): Promise<DataSource> {
  const common = {
    type: 'postgres',
    schema: service.schema,
    migrations: service.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
  } as const;
  const dataSource = target.kind === 'postgres' ? await connectPostgres(target.url, target.preparedStatements ?? true, common) : await connectPglite(target.db, common);
  try {
    const policy = target.kind === 'postgres' ? (target.migrations ?? { kind: 'run' }) : ({ kind: 'run' } as const);
    if (policy.kind === 'wait') await waitForSchema(dataSource, service.schema, policy);
    else await migrate(dataSource, target, service.schema);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

type CommonOptions = Omit<PostgresConnectionOptions, 'url' | 'ssl' | 'driver' | 'extra'>;

/**
 * The pool's connections take the first attempt that works (see postgresConnection): with
 * `allow` and `prefer` the choice is made once, here, for the life of the pool.
 */
async function connectPostgres(url: string, preparedStatements: boolean, common: CommonOptions): Promise<DataSource> {
  const connection = postgresConnection(url);
  const where = `${describeTarget({ kind: 'postgres', url: connection.url })} (sslmode=${connection.sslmode})`;
  let failure: unknown;
  for (const [index, ssl] of connection.attempts.entries()) {
    const extra = { max: 10, ...(preparedStatements && { Client: NamedStatementClient }), ...(ssl && connection.sslnegotiation && { sslnegotiation: connection.sslnegotiation }) };
    const dataSource = new DataSource({ ...common, url: connection.url, ssl: ssl as PostgresConnectionOptions['ssl'], connectTimeoutMS: CONNECT_TIMEOUT_MS, extra });
    try {
      return await dataSource.initialize();
    } catch (error) {
      failure = error;
      if (index === connection.attempts.length - 1 || !worthTheOtherAttempt(error)) break;
    }
  }
  throw new StorageUnavailableError(`cannot connect to PostgreSQL at ${where}: ${(failure as Error).message}`, { cause: failure });
}

async function connectPglite(db: PGlite, common: CommonOptions): Promise<DataSource> {
  const dataSource = new DataSource({ ...common, driver: pglitePgModule, extra: { pglite: db } });
  try {
    return await dataSource.initialize();
  } catch (error) {
    throw new StorageUnavailableError(`cannot connect to PostgreSQL at embedded PGlite: ${(error as Error).message}`, { cause: error });
  }
}

async function migrate(dataSource: DataSource, target: StorageTarget, schema: string): Promise<void> {
  if (target.kind === 'pglite') {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`davmesh-migrations:${schema}`]);
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`davmesh-migrations:${schema}`]).catch(() => undefined);
    await lock.release();
  }
}

/** host:port/database of a URL, never its password. */
export function describeTarget(target: StorageTarget): string {
  if (target.kind === 'pglite') return 'embedded PGlite';
  try {
    const url = new URL(target.url);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'an unparseable DATABASE_URL';
  }
}

/** Name of the newest applied migration, for health reports. */
export async function latestMigration(dataSource: DataSource, schema: string): Promise<string> {
  const rows: { name: string }[] = await dataSource.query(
    `SELECT name FROM "${schema}"."migrations" ORDER BY "timestamp" DESC LIMIT 1`,
  );
  return rows[0]?.name ?? 'none';
}

/** Name of the newest migration this build ships for the DataSource's service (TypeORM orders them by the name's 13-digit timestamp). */
export function newestShippedMigration(dataSource: DataSource): string {
  const names = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
  const stamp = (name: string) => Number(name.slice(-13)) || 0;
  return names.reduce((newest, name) => (stamp(name) > stamp(newest) ? name : newest), 'none');
}

/** The connection counts of a PostgreSQL DataSource's pool (pg's Pool); undefined on PGlite. */
export interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export function postgresPool(dataSource: DataSource): PoolCounts | undefined {
  const pool = (dataSource.driver as unknown as { master?: Partial<PoolCounts> }).master;
  return typeof pool?.totalCount === 'number' && typeof pool.idleCount === 'number' && typeof pool.waitingCount === 'number' ? (pool as PoolCounts) : undefined;
}
