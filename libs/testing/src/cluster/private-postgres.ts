import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
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

/**
 * A PostgreSQL server of one test's own (initdb in a temporary directory, loopback only, trust
 * authentication), which the test may crash and restart: `restart()` is
 * `pg_ctl restart -m immediate`, what an operator's or a kernel's kill looks like to clients.
 */
export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  /** Starts a fresh server; `port` defaults to a free one (see freePort). */
  static async start(port?: number): Promise<PrivatePostgres> {
    const bin = postgresBinDir();
    if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
    const dir = mkdtempSync(join(tmpdir(), 'davmesh-pg-'));
    if (process.getuid?.() === 0) {
      const { uid, gid } = await postgresIds();
      chownSync(dir, uid, gid);
    }
    const dataDir = join(dir, 'data');
    try {
      const [command, args] = asPostgres(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
      await run(command, args, { cwd: dir, timeout: 90_000 });
      const launch = async (at: number) => {
        const server = new PrivatePostgres(bin, dir, at);
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
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return this.url(name);
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
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
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

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
