import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from 'nats';
import { natsSecurityFromEnv } from './nats-security';

describe('NATS TLS and login settings', () => {
  let dir: string;
  let file: (name: string, text: string) => string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nats-security-'));
    file = (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('asks for nothing when nothing is set', () => {
    expect(natsSecurityFromEnv({})).toEqual({});
  });

  it('turns TLS on with a CA alone, and passes the files for each (re)connect to read', () => {
    const ca = file('ca.crt', 'x');
    expect(natsSecurityFromEnv({ NATS_TLS_CA: ca })).toEqual({ tls: { caFile: ca } });
    const [cert, key] = [file('c.crt', 'x'), file('c.key', 'x')];
    expect(natsSecurityFromEnv({ NATS_TLS_CERT: cert, NATS_TLS_KEY: key }).tls).toEqual({ certFile: cert, keyFile: key });
  });

  it('names a missing file and the setting that points at it', () => {
    expect(() => natsSecurityFromEnv({ NATS_TLS_CA: join(dir, 'nope.crt') })).toThrow(`NATS_TLS_CA ${join(dir, 'nope.crt')}: no such file`);
    expect(() => natsSecurityFromEnv({ NATS_CREDS_FILE: join(dir, 'u.creds') })).toThrow(`NATS_CREDS_FILE ${join(dir, 'u.creds')}: no such file`);
  });

  it('refuses half pairs and two ways to log in', () => {
    expect(() => natsSecurityFromEnv({ NATS_TLS_CERT: file('c.crt', 'x') })).toThrow('NATS_TLS_CERT and NATS_TLS_KEY go together');
    expect(() => natsSecurityFromEnv({ NATS_USER: 'u' })).toThrow('NATS_USER and NATS_PASSWORD go together');
    const seed = file('u.nk', new TextDecoder().decode(nkeys.createUser().getSeed()));
    const creds = file('u.creds', '-----BEGIN NATS USER JWT-----\nx\n------END NATS USER JWT------\n-----BEGIN USER NKEY SEED-----\ny\n------END USER NKEY SEED------\n');
    expect(() => natsSecurityFromEnv({ NATS_NKEY_SEED_FILE: seed, NATS_CREDS_FILE: creds })).toThrow(
      'NATS takes one way to log in, not NATS_NKEY_SEED_FILE and NATS_CREDS_FILE',
    );
    expect(() => natsSecurityFromEnv({ NATS_USER: 'u', NATS_PASSWORD: 'p', NATS_NKEY_SEED_FILE: seed })).toThrow('not NATS_USER/NATS_PASSWORD and NATS_NKEY_SEED_FILE');
  });

  it('refuses a seed file without a user seed and a creds file without its two parts', () => {
    expect(() => natsSecurityFromEnv({ NATS_NKEY_SEED_FILE: file('a.nk', new TextDecoder().decode(nkeys.createAccount().getSeed())) })).toThrow(
      'does not hold a user nkey seed',
    );
    expect(() => natsSecurityFromEnv({ NATS_CREDS_FILE: file('bad.creds', 'hello') })).toThrow('is not a NATS credentials file');
  });

  it('logs in with a password kept as given (spaces included), or with an authenticator for a seed', () => {
    expect(natsSecurityFromEnv({ NATS_USER: 'davmesh', NATS_PASSWORD: ' pw ' })).toEqual({ user: 'davmesh', pass: ' pw ' });
    const seed = file('u.nk', new TextDecoder().decode(nkeys.createUser().getSeed()));
    expect(typeof natsSecurityFromEnv({ NATS_NKEY_SEED_FILE: seed }).authenticator).toBe('function');
  });
});
