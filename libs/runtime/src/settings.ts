import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { readCertificatePair, type EdgeTlsFiles } from './edge-certificate';
import { NatsSettingsError, natsSecurityFromEnv, type NatsSecurity } from '@davmesh/bus';
import { PostgresSettingsError, postgresConnection } from '@davmesh/storage';

export const ROLES = ['edge', 'calendar', 'contacts', 'config'] as const;
export type Role = (typeof ROLES)[number];
export type DomainRole = Exclude<Role, 'edge'>;

export type RuntimeSettings = {
  roles: Role[];
  host: string;
  port: number;
  subjectPrefix: string;
  /** `*.properties` and `contextSets/*.yml` of the config cascade. */
  configDir: string;
  configPollMs: number;
  /** SIGTERM to exit: how long requests in flight may take to finish (DAVMESH_SHUTDOWN_GRACE_SECONDS). */
  shutdownGraceSeconds: number;
  /** HTTPS at the edge (DAVMESH_TLS_CERT, DAVMESH_TLS_KEY), the files checked for changes every configPollMs. */
  edgeTls?: EdgeTlsFiles;
  /** The ops listener (/healthz, /readyz, /metrics): DAVMESH_OPS_PORT, DAVMESH_OPS_HOST; none when the port is unset. */
  ops?: { host: string; port: number };
} & (
  | {
      mode: 'embedded';
      dataDir: string;
      /**
       * DAVMESH_DOMAIN_THREAD: the domain services and PGlite on a worker thread of their own (on), or
       * on the edge's (off). Default: on where the process may use more than one CPU; on one, the
       * second thread would only add its hop to every request.
       */
      domainThread: boolean;
    }
  | {
      mode: 'distributed';
      natsUrl: string;
      natsSecurity: NatsSecurity;
      databaseUrl: string | undefined;
      /** DAVMESH_MIGRATIONS: `run` migrates at start; `wait` waits for `davmesh migrate` (DAVMESH_SCHEMA_WAIT_SECONDS). */
      migrations: 'run' | 'wait';
      schemaWaitSeconds: number;
      /**
       * DAVMESH_DATABASE_PREPARED_STATEMENTS: statements with parameters as named prepared statements
       * (on), parsed once per connection; `off` for a pooler that cannot keep them (PgBouncer in
       * transaction mode before 1.21, or without max_prepared_statements).
       */
      preparedStatements: boolean;
    }
);

/** Longest DAVMESH_SCHEMA_WAIT_SECONDS taken: a day. */
const MAX_SCHEMA_WAIT_SECONDS = 86_400;

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/**
 * Reads and checks the environment once, at boot. Without NATS_URL everything runs
 * in one process on embedded storage; with it, each role talks NATS and PostgreSQL.
 */
export function loadSettings(env: NodeJS.ProcessEnv, role: string): RuntimeSettings {
  const roles = parseRoles(role);
  const host = env.HOST?.trim() || '127.0.0.1';
  const port = parsePort(env.PORT);
  const subjectPrefix = env.DAVMESH_SUBJECT_PREFIX?.trim() ?? 'davmesh';
  if (!/^[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/.test(subjectPrefix)) {
    throw new SettingsError(`DAVMESH_SUBJECT_PREFIX "${subjectPrefix}" is not a NATS subject prefix`);
  }
  const configDir = resolve(env.DAVMESH_CONFIG_DIR?.trim() || './config');
  const configPollMs = parsePositive(env.DAVMESH_CONFIG_POLL_MS, 2000, 'DAVMESH_CONFIG_POLL_MS');
  const shutdownGraceSeconds = parsePositive(env.DAVMESH_SHUTDOWN_GRACE_SECONDS, 25, 'DAVMESH_SHUTDOWN_GRACE_SECONDS');
  const edgeTls = parseEdgeTls(env);
  const ops = parseOps(env, host);
  const natsUrl = env.NATS_URL?.trim();
  const common = { roles, host, port, subjectPrefix, configDir, configPollMs, shutdownGraceSeconds, edgeTls, ops };
  if (!natsUrl) {
    if (roles.length !== ROLES.length) {
      throw new SettingsError(`--role ${role} needs NATS_URL: without it, all roles run together in one process`);
    }
    return { mode: 'embedded', ...common, dataDir: resolve(env.DAVMESH_DATA?.trim() || './data'), domainThread: parseOnOff(env.DAVMESH_DOMAIN_THREAD, availableParallelism() > 1, 'DAVMESH_DOMAIN_THREAD') };
  }
  const natsSecurity = readNatsSecurity(env);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (roles.some((r) => r !== 'edge') && !databaseUrl) {
    throw new SettingsError('DATABASE_URL is required for the calendar, contacts and config roles when NATS_URL is set');
  }
  if (databaseUrl && roles.some((r) => r !== 'edge')) checkDatabaseUrl(databaseUrl, env);
  const migrations = env.DAVMESH_MIGRATIONS?.trim() || 'run';
  if (migrations !== 'run' && migrations !== 'wait') throw new SettingsError(`DAVMESH_MIGRATIONS "${migrations}" is neither run nor wait`);
  const schemaWaitSeconds = parsePositive(env.DAVMESH_SCHEMA_WAIT_SECONDS, 300, 'DAVMESH_SCHEMA_WAIT_SECONDS');
  if (schemaWaitSeconds > MAX_SCHEMA_WAIT_SECONDS) {
    throw new SettingsError(`DAVMESH_SCHEMA_WAIT_SECONDS "${schemaWaitSeconds}" is over ${MAX_SCHEMA_WAIT_SECONDS} (a day)`);
  }
  const preparedStatements = parseOnOff(env.DAVMESH_DATABASE_PREPARED_STATEMENTS, true, 'DAVMESH_DATABASE_PREPARED_STATEMENTS');
  return { mode: 'distributed', ...common, natsUrl, natsSecurity, databaseUrl, migrations, schemaWaitSeconds, preparedStatements };
}

/** NATS_TLS_*, NATS_USER/NATS_PASSWORD, NATS_NKEY_SEED_FILE, NATS_CREDS_FILE (see natsSecurityFromEnv). */
export function readNatsSecurity(env: NodeJS.ProcessEnv): NatsSecurity {
  try {
    return natsSecurityFromEnv(env);
  } catch (error) {
    if (error instanceof NatsSettingsError) throw new SettingsError(error.message);
    throw error;
  }
}

/** sslmode and the files sslrootcert, sslcert and sslkey name, before anything connects. */
export function checkDatabaseUrl(url: string, env: NodeJS.ProcessEnv): void {
  try {
    postgresConnection(url, env);
  } catch (error) {
    if (error instanceof PostgresSettingsError) throw new SettingsError(error.message);
    throw error;
  }
}

function parseEdgeTls(env: NodeJS.ProcessEnv): EdgeTlsFiles | undefined {
  const certFile = env.DAVMESH_TLS_CERT?.trim();
  const keyFile = env.DAVMESH_TLS_KEY?.trim();
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new SettingsError('DAVMESH_TLS_CERT and DAVMESH_TLS_KEY go together: set both for HTTPS, neither for HTTP');
  const files = { certFile: resolve(certFile), keyFile: resolve(keyFile) };
  // Checked here too, so a bad pair fails before any database is opened.
  try {
    readCertificatePair(files);
  } catch (error) {
    throw new SettingsError((error as Error).message);
  }
  return files;
}

function parseRoles(role: string): Role[] {
  if (role === 'all') return [...ROLES];
  const roles = role.split(',').map((r) => r.trim());
  for (const r of roles) {
    if (!(ROLES as readonly string[]).includes(r)) {
      throw new SettingsError(`unknown role "${r}": use all, ${ROLES.join(', ')} (or a comma-separated list)`);
    }
  }
  return [...new Set(roles)] as Role[];
}

function parsePort(value: string | undefined, name = 'PORT'): number {
  if (value === undefined || value.trim() === '') return 8008;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SettingsError(`${name} "${value}" is not a port number`);
  return port;
}

/** 0 asks the system for a free port (tests read the bound one back). */
function parseOps(env: NodeJS.ProcessEnv, host: string): RuntimeSettings['ops'] {
  if (env.DAVMESH_OPS_PORT === undefined || env.DAVMESH_OPS_PORT.trim() === '') return undefined;
  return { port: parsePort(env.DAVMESH_OPS_PORT, 'DAVMESH_OPS_PORT'), host: env.DAVMESH_OPS_HOST?.trim() || host };
}

function parsePositive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new SettingsError(`${name} "${value}" is not a positive whole number`);
  return n;
}

function parseOnOff(raw: string | undefined, fallback: boolean, name: string): boolean {
  const value = raw?.trim().toLowerCase();
  if (!value) return fallback;
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new SettingsError(`${name} "${raw}" is neither on nor off`);
}
