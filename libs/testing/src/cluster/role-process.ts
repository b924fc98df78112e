import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

export type ClusterRole = 'edge' | 'calendar' | 'contacts' | 'config';
/** What `serve --role` takes here: one role, or `all` (embedded mode when NATS_URL is empty, what `npm start` runs). */
export type ServeRole = ClusterRole | 'all';

/** How a process ended: its exit code, or the signal that killed it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One line a role process logged (pino JSON); lines that are not JSON keep only `msg`. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** How a role process is started: which node, which entry (sources or compiled build), from where. */
export interface RoleLaunch {
  node: string;
  /** Node arguments up to the entry point; `serve --role <role>` follows. */
  entry: string[];
  cwd: string;
}

/** The sources through SWC, as `npm start` and `npm run davmesh` run them. */
export const SOURCE_LAUNCH: RoleLaunch = {
  node: process.execPath,
  entry: ['-r', './tools/register.cjs', 'apps/davmesh/src/main.ts'],
  cwd: REPO_ROOT,
};

/** The line the ops listener logs with its `url` (libs/runtime/src/ops/ops-listener.ts). */
const OPS_LISTENING = 'ops listener (healthz, readyz, metrics) listening';

/** pino's level numbers. */
export const LOG_LEVEL = { info: 30, warn: 40, error: 50, fatal: 60 } as const;

/**
 * One davmesh role as a child process (`davmesh serve --role <role>`), started the way an
 * operator starts it, with its log lines kept for the test. Killed with SIGKILL, it can be
 * started again with the same environment (an edge then gets a new port).
 */
export class RoleProcess {
  readonly logs: LogLine[] = [];
  private child?: ChildProcess;
  private edgeUrl?: string;
  private opsListenerUrl?: string;
  /** How many times it started. */
  starts = 0;

  constructor(
    readonly role: ServeRole,
    readonly name: string,
    private readonly env: Record<string, string>,
    private readonly launch: RoleLaunch = SOURCE_LAUNCH,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /** The edge's base URL (no trailing slash) while it runs. */
  get url(): string | undefined {
    return this.running ? this.edgeUrl : undefined;
  }

  /** The ops listener's base URL (/healthz, /readyz, /metrics) while it runs, once it listens (with DAVMESH_OPS_PORT set; `0` takes a free port). */
  get opsUrl(): string | undefined {
    return this.running ? this.opsListenerUrl : undefined;
  }

  /** Starts the process and resolves once it serves (an edge listens; a service answers on the bus). */
  async start(timeoutMs = 90_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is running already`);
    this.edgeUrl = undefined;
    this.opsListenerUrl = undefined;
    this.starts++;
    const child = spawn(this.launch.node, [...this.launch.entry, 'serve', '--role', this.role], {
      cwd: this.launch.cwd,
      env: { ...process.env, LOG_LEVEL: 'info', ...this.env, LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start within ${timeoutMs} ms:\n${this.tail()}`)), timeoutMs);
      const onLine = (line: string) => {
        const entry = parseLine(line);
        this.logs.push({ ...entry, process: this.name });
        if (entry.msg === 'edge listening' && typeof entry.url === 'string') this.edgeUrl = entry.url;
        // The ops listener starts first, so a start still under way (a role waiting for its schema) can be probed.
        if (entry.msg === OPS_LISTENING && typeof entry.url === 'string') this.opsListenerUrl = entry.url;
        // A process with the edge serves once it listens (with `all`, after its services are ready).
        if (entry.msg === 'edge listening' || (entry.msg === 'service ready' && this.role !== 'all')) {
          clearTimeout(timer);
          resolve();
        }
      };
      createInterface({ input: child.stdout! }).on('line', onLine);
      createInterface({ input: child.stderr! }).on('line', (line) => onLine(line));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${signal ?? code}) before it served:\n${this.tail()}`));
      });
    });
    await ready;
  }

  /** kill -9: no drain, no goodbye; in-flight requests are lost to it. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Sends a signal and waits for the process to exit (SIGKILL after `timeoutMs`); says how it ended. */
  async signal(signal: NodeJS.Signals, timeoutMs = 30_000): Promise<ProcessExit> {
    const child = this.child;
    if (!child || !this.running) return { code: child?.exitCode ?? null, signal: child?.signalCode ?? null };
    const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, how) => resolve({ code, signal: how })));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  }

  /** The last lines it logged, for failure messages. */
  tail(lines = 20): string {
    return this.logs
      .slice(-lines)
      .map((l) => JSON.stringify(l))
      .join('\n');
  }
}

function parseLine(line: string): LogLine {
  if (line.startsWith('{')) {
    try {
      const parsed = JSON.parse(line) as LogLine;
      if (typeof parsed.msg === 'string') return parsed;
    } catch {
      // not JSON after all
    }
  }
  return { level: LOG_LEVEL.info, msg: line };
}
