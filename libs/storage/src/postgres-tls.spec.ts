import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresConnection } from './postgres-tls';

describe('the TLS parameters of DATABASE_URL', () => {
  let dir: string;
  let notPem: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'davmesh-pgtls-'));
    notPem = join(dir, 'ca.crt');
    writeFileSync(notPem, 'not a certificate');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves node-postgres the URL without them, and the other parameters', () => {
    const connection = postgresConnection('postgres://u:p@db:5432/d?sslmode=require&application_name=davmesh&uselibpqcompat=true', {});
    expect(connection.url).toBe('postgres://u:p@db:5432/d?application_name=davmesh');
    expect(connection.attempts).toEqual([{ rejectUnauthorized: false }]);
  });

  it.each([
    ['', {}, 'prefer', 2],
    ['', { PGSSLMODE: 'disable' }, 'disable', 1],
    ['?sslmode=allow', { PGSSLMODE: 'disable' }, 'allow', 2],
  ])('takes sslmode from the URL, else PGSSLMODE, else prefer: %s %j', (query, env, sslmode, attempts) => {
    const connection = postgresConnection(`postgres://db/d${query}`, env);
    expect(connection.sslmode).toBe(sslmode);
    expect(connection.attempts).toHaveLength(attempts);
  });

  it.each([
    ['sslmode=verify', 'DATABASE_URL: sslmode "verify" is not one of disable, allow, prefer, require, verify-ca, verify-full'],
    ['sslmode=verify-ca', "DATABASE_URL: sslmode=verify-ca needs sslrootcert (the CA that signed the server's certificate)"],
    ['sslmode=require&sslrootcert=system', 'DATABASE_URL: sslrootcert=system needs sslmode=verify-full (not require)'],
    ['ssl=true', "DATABASE_URL: ssl= is node-postgres's own parameter; say sslmode= (disable, allow, prefer, require, verify-ca, verify-full)"],
    ['sslmode=prefer&sslnegotiation=direct', 'DATABASE_URL: sslnegotiation=direct needs sslmode require, verify-ca or verify-full (not prefer)'],
  ])('refuses %s in one line', (query, message) => {
    expect(() => postgresConnection(`postgres://db/d?${query}`, {})).toThrow(message);
  });

  it('names a file that is not a certificate', () => {
    expect(() => postgresConnection(`postgres://db/d?sslmode=verify-full&sslrootcert=${notPem}`, {})).toThrow(`DATABASE_URL: sslrootcert ${notPem} is not a PEM certificate`);
  });
});
