import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext, type ConnectionOptions } from 'node:tls';

/** libpq's sslmode values, weakest first. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** TLS options for one connection attempt, or `false` for a plain one. */
export type PostgresSsl = ConnectionOptions | false;

/**
 * How davmesh connects to the PostgreSQL of a DATABASE_URL: the URL without the TLS parameters
 * (node-postgres would read them with its own meaning), and what to try in order.
 */
export interface PostgresConnection {
  url: string;
  sslmode: SslMode;
  /** One for most modes; `allow` is plain then TLS, `prefer` TLS then plain (libpq's fallback). */
  attempts: PostgresSsl[];
  /** `direct`: TLS from the first byte (PostgreSQL 17), else the SSLRequest handshake. */
  sslnegotiation?: 'postgres' | 'direct';
}

export class PostgresSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresSettingsError';
  }
}

/** Parameters davmesh reads itself and takes out of the URL before node-postgres sees it. */
const TLS_PARAMETERS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslpassword', 'sslnegotiation', 'uselibpqcompat'];

/**
 * Reads the TLS parameters of a libpq-style URL with libpq's meaning (sslmode from the URL, else
 * PGSSLMODE, else `prefer`) and the files they name; throws one line naming the problem. The files
 * are read here, once: a rotated certificate is used from the next start.
 */
export function postgresConnection(url: string, env: NodeJS.ProcessEnv = process.env): PostgresConnection {
  const queryAt = url.indexOf('?');
  const params = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
  if (params.has('ssl')) {
    throw new PostgresSettingsError('DATABASE_URL: ssl= is node-postgres\'s own parameter; say sslmode= (disable, allow, prefer, require, verify-ca, verify-full)');
  }
  const given = params.get('sslmode') ?? (env.PGSSLMODE?.trim() || 'prefer');
  if (!(SSL_MODES as readonly string[]).includes(given)) {
    throw new PostgresSettingsError(`DATABASE_URL: sslmode "${given}" is not one of ${SSL_MODES.join(', ')}`);
  }
  const sslmode = given as SslMode;
  const rest = new URLSearchParams([...params].filter(([name]) => !TLS_PARAMETERS.includes(name)));
  const query = rest.toString();
  const stripped = (queryAt < 0 ? url : url.slice(0, queryAt)) + (query ? `?${query}` : '');
  const sslnegotiation = negotiation(params.get('sslnegotiation'), sslmode);
  if (sslmode === 'disable') return { url: stripped, sslmode, attempts: [false] };

  const tls = tlsOptions(sslmode, params);
  const attempts: PostgresSsl[] = sslmode === 'allow' ? [false, tls] : sslmode === 'prefer' ? [tls, false] : [tls];
  return { url: stripped, sslmode, attempts, ...(sslnegotiation && { sslnegotiation }) };
}

function tlsOptions(sslmode: Exclude<SslMode, 'disable'>, params: URLSearchParams): ConnectionOptions {
  const rootcert = params.get('sslrootcert') || undefined;
  const certFile = params.get('sslcert') || undefined;
  const keyFile = params.get('sslkey') || undefined;
  const options: ConnectionOptions = {};
  if (certFile || keyFile) {
    if (!certFile || !keyFile) throw new PostgresSettingsError('DATABASE_URL: sslcert and sslkey go together (a client certificate and its key): set both or neither');
    options.cert = readPem('sslcert', certFile);
    options.key = readPem('sslkey', keyFile);
    const passphrase = params.get('sslpassword') ?? undefined;
    try {
      createSecureContext({ cert: options.cert, key: options.key, passphrase });
    } catch (error) {
      throw new PostgresSettingsError(`DATABASE_URL: sslcert ${certFile} and sslkey ${keyFile} do not make a TLS pair: ${(error as Error).message}`);
    }
    if (passphrase !== undefined) options.passphrase = passphrase;
  }
  if (rootcert === 'system') {
    // libpq: the system's CAs only make sense when the host name is checked too.
    if (sslmode !== 'verify-full') throw new PostgresSettingsError(`DATABASE_URL: sslrootcert=system needs sslmode=verify-full (not ${sslmode})`);
    return options;
  }
  if (rootcert) {
    options.ca = readPem('sslrootcert', rootcert);
    try {
      new X509Certificate(options.ca);
    } catch {
      throw new PostgresSettingsError(`DATABASE_URL: sslrootcert ${rootcert} is not a PEM certificate`);
    }
  } else if (sslmode === 'verify-ca') {
    throw new PostgresSettingsError('DATABASE_URL: sslmode=verify-ca needs sslrootcert (the CA that signed the server\'s certificate)');
  }
  if (sslmode === 'verify-full') return options;
  // Below verify-full the host name is never checked; the chain is, when a CA is given (libpq's require with a root certificate).
  if (options.ca) return { ...options, checkServerIdentity: () => undefined };
  return { ...options, rejectUnauthorized: false };
}

function negotiation(value: string | null, sslmode: SslMode): PostgresConnection['sslnegotiation'] {
  if (value === null || value === '') return undefined;
  if (value !== 'postgres' && value !== 'direct') throw new PostgresSettingsError(`DATABASE_URL: sslnegotiation "${value}" is neither postgres nor direct`);
  if (value === 'direct' && !['require', 'verify-ca', 'verify-full'].includes(sslmode)) {
    throw new PostgresSettingsError(`DATABASE_URL: sslnegotiation=direct needs sslmode require, verify-ca or verify-full (not ${sslmode})`);
  }
  return value;
}

function readPem(parameter: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PostgresSettingsError(`DATABASE_URL: ${parameter} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : 'not readable'}`);
  }
}

/**
 * Whether a failed attempt of `allow` or `prefer` is worth the other one: the server answered
 * (refused TLS, failed the handshake, or refused the login, as pg_hba.conf's hostssl and
 * hostnossl lines do), as libpq retries. Not when nothing answered: the other would not either.
 */
export function worthTheOtherAttempt(error: unknown): boolean {
  const e = error as { syscall?: string; message?: string };
  return !e?.syscall && !/timeout|timed out|terminated unexpectedly/i.test(e?.message ?? '');
}
