import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { TEST_PG_ADMIN_URL } from '@davmesh/testing';
import { commandLine, cpuMs, withChildren } from '../process-cpu';

const POLL_MS = 200;

/**
 * CPU of the shared PostgreSQL's backends serving one database: the postmaster's children
 * whose process title names the database, polled every 200 ms (the last figure seen of a
 * backend that has ended counts). Other databases' work on the shared server is left out.
 */
export class DatabaseCpu {
  private readonly seen = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly postmaster: number,
    private readonly database: string,
  ) {
    this.poll();
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  static async start(database: string): Promise<DatabaseCpu> {
    const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
    await client.connect();
    try {
      const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const stat = readFileSync(`/proc/${backend}/stat`, 'utf8');
      return new DatabaseCpu(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), database);
    } finally {
      await client.end();
    }
  }

  private poll(): void {
    for (const pid of withChildren(this.postmaster).slice(1)) {
      if (!this.seen.has(pid) && !commandLine(pid).includes(` ${this.database} `)) continue;
      const ms = cpuMs(pid);
      if (ms > 0 || !this.seen.has(pid)) this.seen.set(pid, Math.max(ms, this.seen.get(pid) ?? 0));
    }
  }

  cpuMs(): number {
    this.poll();
    return [...this.seen.values()].reduce((a, b) => a + b, 0);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
