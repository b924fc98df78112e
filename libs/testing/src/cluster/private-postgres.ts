import { execFile } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, type QueryResultRow } from 'pg';
import { onFreePort, releasePort } from './ports';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries Debian installed, or undefined. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

/** PostgreSQL refuses to run as root: as root, the tools run as the postgres user. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export interface PrivatePostgresOptions {
  /** Defaults to a free one (see freePort). */
  port?: number;
  /** `ssl=on` with this certificate and key; `caFile` checks client certificates (`clientcert=` in `hba`). */
  tls?: { certFile: string; keyFile: string; caFile?: string };
  /**
   * pg_hba.conf lines instead of initdb's (trust for everyone, with or without TLS). The test's own
   * connections (createDatabase, query) use the Unix socket, so a `local all postgres trust` line
   * keeps them working.
   */
  hba?: string[];
}

/**
 * A PostgreSQL server of one test's own (initdb in a temporary directory, loopback only, trust
 * authentication unless `hba` says otherwise, TLS with `tls`), which the test may crash and restart:
 * `restart()` is `pg_ctl restart -m immediate`, what an operator's or a kernel's kill looks like to clients.
 */
export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
    private readonly settings: string[],
  ) {}

  /** Starts a fresh server on `port` (or options.port), a free one when not given. */
  static async start(portOrOptions?: number | PrivatePostgresOptions): Promise<PrivatePostgres> {
    const options = typeof portOrOptions === 'number' ? { port: portOrOptions } : (portOrOptions ?? {});
    const port = options.port;
    const bin = postgresBinDir();
    if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
    const dir = mkdtempSync(join(tmpdir(), 'davmesh-pg-'));
    const owner = process.getuid?.() === 0 ? await postgresIds() : undefined;
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const dataDir = join(dir, 'data');
    try {
      const [command, args] = asPostgres(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
      await run(command, args, { cwd: dir, timeout: 90_000 });
      const settings = serverFiles(dir, options, owner);
      const launch = async (at: number) => {
        const server = new PrivatePostgres(bin, dir, at, settings);
        await server.ctl(['start']);
        return server;
      };
      return port === undefined ? await onFreePort(launch) : await launch(port);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The URL of a database on this server (`postgres` when not named). */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates a database and returns its URL. */
  async createDatabase(name: string): Promise<string> {
    await this.query(`CREATE DATABASE "${name}"`);
    return this.url(name);
  }

  /** Runs one statement as `postgres` over the server's Unix socket (never refused by a TLS-only pg_hba). */
  async query<Row extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<Row[]> {
    const client = new Client({ host: this.dir, port: this.port, user: 'postgres', database });
    await client.connect();
    try {
      return (await client.query<Row>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  /** The postmaster's process id while the server runs. */
  get pid(): number | undefined {
    const file = join(this.dataDir, 'postmaster.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
  }

  /** A crash and a start: every connection is cut, transactions not committed are lost. */
  async restart(): Promise<void> {
    await this.ctl(['restart', '-m', 'immediate']);
  }

  /** Stops the server as a crash would (`pg_ctl stop -m immediate`) and leaves it down until `recover()`. */
  async crash(): Promise<void> {
    await this.ctl(['stop', '-m', 'immediate']);
  }

  /** Starts the crashed server again (it replays its WAL). */
  async recover(): Promise<void> {
    await this.ctl(['start']);
  }

  /** Stops the server at once and deletes its files. */
  async stop(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) await this.ctl(['stop', '-m', 'immediate']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
    releasePort(this.port);
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  private ctl(args: string[]): Promise<unknown> {
    // fsync off: a crash of the server process (not of the machine) loses nothing committed.
    const options = [`-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, ...this.settings].join(' ');
    return this.tool('pg_ctl', ['-D', this.dataDir, '-l', join(this.dir, 'server.log'), '-w', '-t', '60', '-o', options, ...args]);
  }

  private async tool(name: string, args: string[]): Promise<void> {
    const [command, fullArgs] = asPostgres(join(this.bin, name), args);
    try {
      await run(command, fullArgs, { cwd: this.dir, timeout: 90_000 });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${name} ${args[args.length - 1]} failed: ${(stderr || stdout || (error as Error).message).trim()}`);
    }
  }
}

/**
 * The TLS files and pg_hba.conf of `options` in the server's directory, owned by the server's user:
 * PostgreSQL refuses a key file that others may read or that belongs to someone else.
 */
function serverFiles(dir: string, options: PrivatePostgresOptions, owner: { uid: number; gid: number } | undefined): string[] {
  const place = (name: string, write: (path: string) => void) => {
    const path = join(dir, name);
    write(path);
    chmodSync(path, 0o600);
    if (owner) chownSync(path, owner.uid, owner.gid);
    return path;
  };
  const settings: string[] = [];
  if (options.tls) {
    const { certFile, keyFile, caFile } = options.tls;
    settings.push('-c ssl=on');
    settings.push(`-c ssl_cert_file=${place('server.crt', (to) => copyFileSync(certFile, to))}`);
    settings.push(`-c ssl_key_file=${place('server.key', (to) => copyFileSync(keyFile, to))}`);
    if (caFile) settings.push(`-c ssl_ca_file=${place('client-ca.crt', (to) => copyFileSync(caFile, to))}`);
  }
  if (options.hba) settings.push(`-c hba_file=${place('pg_hba.conf', (to) => writeFileSync(to, `${options.hba!.join('\n')}\n`))}`);
  return settings;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
