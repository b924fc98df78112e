import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LaneUser {
  login: string;
  password: string;
}

/** What the server script sends its parent once it listens. */
export interface ServerReady {
  url: string;
  users: LaneUser[];
}

export interface ServerProcessOptions {
  /** A script that starts the embedded server, adds `lanes` users (argv[2]) and sends `ServerReady` over IPC. */
  script: string;
  /** Node options for the child, e.g. the TypeScript loader. */
  execArgv: string[];
  lanes: number;
  /** The server's heap limit: a runaway allocation ends the child rather than the machine. */
  heapMb: number;
}

/**
 * The server under test in a child process, so a server that blocks its event loop or runs out of
 * memory cannot stop the fuzzer from noticing, recording and restarting it.
 */
export class ServerProcess {
  private child?: ChildProcess;
  private tmp?: string;
  restarts = 0;
  ready?: ServerReady;

  constructor(private readonly options: ServerProcessOptions) {}

  async start(): Promise<ServerReady> {
    this.tmp = mkdtempSync(join(tmpdir(), 'davmesh-fuzz-'));
    const child = fork(this.options.script, [String(this.options.lanes)], {
      execArgv: [...this.options.execArgv, `--max-old-space-size=${this.options.heapMb}`],
      env: { ...process.env, TMPDIR: this.tmp },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    this.ready = await new Promise<ServerReady>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the fuzz server did not start in 120 s: ${stderr}`)), 120_000);
      child.once('message', (message) => {
        clearTimeout(timer);
        resolve(message as ServerReady);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the fuzz server exited (${code ?? signal}) before it listened: ${stderr}`));
      });
    });
    return this.ready;
  }

  /** Whether the child is still running (it may have died of its heap limit). */
  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
    this.tmp = undefined;
  }

  async restart(): Promise<ServerReady> {
    this.restarts += 1;
    await this.stop();
    return this.start();
  }
}
