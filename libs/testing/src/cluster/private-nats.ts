import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { freePort, releasePort } from './ports';

export const NATS_SERVER_BINARY = '/usr/sbin/nats-server';

export function natsServerInstalled(): boolean {
  return existsSync(NATS_SERVER_BINARY);
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, open: boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await portOpen(port)) !== open) {
    if (Date.now() > deadline) throw new Error(`port ${port} did not ${open ? 'open' : 'close'} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
  ) {}

  static async start(port?: number): Promise<PrivateNats> {
    const nats = new PrivateNats(port ?? (await freePort()), await freePort());
    await nats.launch();
    return nats;
  }

  /** The client connections open now. */
  async connections(): Promise<NatsClientConnection[]> {
    const response = await fetch(`http://127.0.0.1:${this.monitorPort}/connz?limit=10000`);
    if (!response.ok) throw new Error(`nats-server monitoring answered ${response.status}`);
    return ((await response.json()) as { connections: NatsClientConnection[] | null }).connections ?? [];
  }

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
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
  }

  private async launch(): Promise<void> {
    const child = spawn(NATS_SERVER_BINARY, ['-a', '127.0.0.1', '-p', String(this.port), '-m', String(this.monitorPort)], { stdio: 'ignore' });
    this.child = child;
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`nats-server exited (${code}) at start`))));
    exited.catch(() => undefined);
    await Promise.race([Promise.all([waitForPort(this.port, true, 20_000), waitForPort(this.monitorPort, true, 20_000)]), exited]);
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
