import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, onFreePort, releasePort } from './ports';

export const NATS_SERVER_BINARY = '/usr/sbin/nats-server';

export function natsServerInstalled(): boolean {
  return existsSync(NATS_SERVER_BINARY);
}

/** One client connection as the server's monitoring lists it (`/connz`). */
export interface NatsClientConnection {
  /** The name the client gave; davmesh processes give `davmesh-<roles>:<pid>`. */
  name?: string;
  num_subs: number;
}

/**
 * A nats-server of one test's own on loopback, which the test may kill and start again on the
 * same port, with its monitoring endpoint on a second port.
 */
export class PrivateNats {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    readonly monitorPort: number,
    /** A configuration file (`tls {}`, `authorization {}`), when the test gave one. */
    private readonly configFile?: string,
  ) {}

  /** `config`: nats-server configuration text (TLS, authorization); listen and monitoring ports stay the test's. */
  static async start(port?: number, config?: string): Promise<PrivateNats> {
    const configFile = config === undefined ? undefined : join(mkdtempSync(join(tmpdir(), 'davmesh-nats-')), 'nats.conf');
    if (configFile) writeFileSync(configFile, config!);
    const launch = async (at: number) => {
      const nats = new PrivateNats(at, await freePort(), configFile);
      await nats.launch();
      return nats;
    };
    return port === undefined ? onFreePort(launch) : launch(port);
  }

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** The client connections open now. */
  async connections(): Promise<NatsClientConnection[]> {
    const response = await fetch(`http://127.0.0.1:${this.monitorPort}/connz?limit=10000`);
    if (!response.ok) throw new Error(`nats-server monitoring answered ${response.status}`);
    return ((await response.json()) as { connections: NatsClientConnection[] | null }).connections ?? [];
  }

  /**
   * kill -9 and a start on the same port: every client is cut off and must reconnect.
   * `whileDown` runs between the two (an outage of a given length, or work done meanwhile).
   */
  async restart(whileDown?: () => Promise<void>): Promise<void> {
    await this.kill();
    await whileDown?.();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    releasePort(this.port);
    releasePort(this.monitorPort);
    if (this.configFile) rmSync(join(this.configFile, '..'), { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const args = ['-a', '127.0.0.1', '-p', String(this.port), '-m', String(this.monitorPort)];
    if (this.configFile) args.unshift('-c', this.configFile);
    const child = spawn(NATS_SERVER_BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    // Ready when it says so, not when the port answers: another process may hold the port.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server on port ${this.port} not ready within 20 s`)), 20_000);
      let said = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        if (said.length < 10_000) said += chunk.toString();
        if (said.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server on port ${this.port} exited (${code}): ${said.trim().split('\n').pop()}`));
      });
    });
    child.stderr!.resume();
  }

  private async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
