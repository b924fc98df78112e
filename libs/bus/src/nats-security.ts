import { accessSync, constants, readFileSync } from 'node:fs';
import { credsAuthenticator, nkeyAuthenticator, nkeys, type ConnectionOptions } from 'nats';

/** What a NATS connection presents besides the server URLs: TLS material and one way to log in. */
export type NatsSecurity = Pick<ConnectionOptions, 'tls' | 'user' | 'pass' | 'authenticator'>;

export class NatsSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NatsSettingsError';
  }
}

/**
 * The TLS and credential settings of every NATS connection davmesh opens, from the environment:
 * NATS_TLS_CA (server CA; any NATS_TLS_* turns TLS on), NATS_TLS_CERT + NATS_TLS_KEY (client
 * certificate), and at most one of NATS_USER + NATS_PASSWORD, NATS_NKEY_SEED_FILE, NATS_CREDS_FILE.
 * Files are checked now, so a wrong path fails the start; they are read again at each
 * (re)connect, so a rotated Secret is picked up by the next connection.
 */
export function natsSecurityFromEnv(env: NodeJS.ProcessEnv): NatsSecurity {
  const value = (name: string) => env[name]?.trim() || undefined;
  const security: NatsSecurity = {};

  const [caFile, certFile, keyFile] = ['NATS_TLS_CA', 'NATS_TLS_CERT', 'NATS_TLS_KEY'].map((name) => readableFile(name, value(name)));
  if (Boolean(certFile) !== Boolean(keyFile)) throw new NatsSettingsError('NATS_TLS_CERT and NATS_TLS_KEY go together: set both or neither');
  if (caFile || certFile) security.tls = { caFile, certFile, keyFile };

  const user = value('NATS_USER');
  const password = env.NATS_PASSWORD === '' ? undefined : env.NATS_PASSWORD;
  const seedFile = readableFile('NATS_NKEY_SEED_FILE', value('NATS_NKEY_SEED_FILE'));
  const credsFile = readableFile('NATS_CREDS_FILE', value('NATS_CREDS_FILE'));
  if (Boolean(user) !== Boolean(password)) throw new NatsSettingsError('NATS_USER and NATS_PASSWORD go together: set both or neither');
  const methods = [user && 'NATS_USER/NATS_PASSWORD', seedFile && 'NATS_NKEY_SEED_FILE', credsFile && 'NATS_CREDS_FILE'].filter(Boolean);
  if (methods.length > 1) throw new NatsSettingsError(`NATS takes one way to log in, not ${methods.join(' and ')}`);
  if (user) Object.assign(security, { user, pass: password });
  if (seedFile) {
    checkSeed(seedFile);
    security.authenticator = nkeyAuthenticator(() => new TextEncoder().encode(readFileSync(seedFile, 'utf8').trim()));
  }
  if (credsFile) {
    checkCreds(credsFile);
    security.authenticator = credsAuthenticator(() => readFileSync(credsFile));
  }
  return security;
}

/** Which of the settings are in use, for logs (never a secret). */
export function describeNatsSecurity(security: NatsSecurity): string {
  const login = security.user ? `user ${security.user}` : security.authenticator ? 'nkey or creds' : 'no login';
  return `${security.tls ? 'TLS' : 'plain'}, ${login}`;
}

function readableFile(name: string, path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw new NatsSettingsError(`${name} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable'}`);
  }
  return path;
}

function checkSeed(path: string): void {
  try {
    const pair = nkeys.fromSeed(new TextEncoder().encode(readFileSync(path, 'utf8').trim()));
    if (!pair.getPublicKey().startsWith('U')) throw new Error('not a user seed');
  } catch {
    throw new NatsSettingsError(`NATS_NKEY_SEED_FILE ${path} does not hold a user nkey seed (SU...)`);
  }
}

function checkCreds(path: string): void {
  const text = readFileSync(path, 'utf8');
  if (!/BEGIN NATS USER JWT/.test(text) || !/BEGIN USER NKEY SEED/.test(text)) {
    throw new NatsSettingsError(`NATS_CREDS_FILE ${path} is not a NATS credentials file (a user JWT and its nkey seed)`);
  }
}
