import { createBusClient, type BusClient } from '@davmesh/bus';
import { ContextsAdd, UsersAdd } from '@davmesh/contracts';
import { randomSubjectPrefix, randomSuffix } from '../infrastructure';
import { natsServerInstalled, PrivateNats } from './private-nats';
import { postgresBinDir, PrivatePostgres } from './private-postgres';
import { LOG_LEVEL, RoleProcess, type ClusterRole, type LogLine } from './role-process';

export interface ClusterShape {
  edges: number;
  calendar: number;
  contacts: number;
  config: number;
}

export interface ClusterOptions extends Partial<ClusterShape> {
  /** Extra environment of every role process. */
  env?: Record<string, string>;
}

/** Why the cluster harness cannot run here, or undefined when it can. */
export function clusterPrerequisitesMissing(): string | undefined {
  const missing = [!natsServerInstalled() && 'nats-server (apt-get install nats-server)', !postgresBinDir() && 'PostgreSQL server binaries (apt-get install postgresql)'];
  const named = missing.filter((m): m is string => m !== false);
  return named.length ? `${named.join(' and ')} missing` : undefined;
}

/**
 * N edges and M replicas of each service, each its own `davmesh serve --role` process, on a
 * nats-server and a PostgreSQL server of their own, with the faults a test injects: kill -9
 * of any process (and its start again), a NATS restart, an immediate PostgreSQL restart.
 */
export class Cluster {
  readonly processes: RoleProcess[] = [];
  private constructor(
    readonly nats: PrivateNats,
    readonly postgres: PrivatePostgres,
    readonly databaseUrl: string,
    readonly prefix: string,
    /** A bus client of the test's own on the cluster's NATS, for seeding and checks. */
    readonly bus: BusClient,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const shape: ClusterShape = { edges: 2, calendar: 2, contacts: 1, config: 1, ...options };
    const nats = await PrivateNats.start();
    let postgres: PrivatePostgres | undefined;
    try {
      postgres = await PrivatePostgres.start();
      const databaseUrl = await postgres.createDatabase(`davmesh_${randomSuffix()}`);
      const prefix = randomSubjectPrefix();
      const bus = await createBusClient({ kind: 'nats', servers: nats.url, prefix }, 'cluster-test');
      const cluster = new Cluster(nats, postgres, databaseUrl, prefix, bus);
      const env = { NATS_URL: nats.url, DATABASE_URL: databaseUrl, DAVMESH_SUBJECT_PREFIX: prefix, HOST: '127.0.0.1', PORT: '0', ...options.env };
      const roles: [ClusterRole, number][] = [
        ['config', shape.config],
        ['calendar', shape.calendar],
        ['contacts', shape.contacts],
        ['edge', shape.edges],
      ];
      for (const [role, count] of roles) {
        for (let i = 1; i <= count; i++) cluster.processes.push(new RoleProcess(role, `${role}-${i}`, env));
      }
      try {
        // Config first: the others ask it for settings as they start. Replicas of one role start together.
        for (const [role] of roles) await Promise.all(cluster.ofRole(role).map((p) => p.start()));
      } catch (error) {
        await cluster.stop();
        throw error;
      }
      return cluster;
    } catch (error) {
      await postgres?.stop();
      await nats.stop();
      throw error;
    }
  }

  ofRole(role: ClusterRole): RoleProcess[] {
    return this.processes.filter((p) => p.role === role);
  }

  process(name: string): RoleProcess {
    const found = this.processes.find((p) => p.name === name);
    if (!found) throw new Error(`no process ${name} (${this.processes.map((p) => p.name).join(', ')})`);
    return found;
  }

  /** Base URLs of the edges running now. */
  edgeUrls(): string[] {
    return this.ofRole('edge')
      .map((p) => p.url)
      .filter((u): u is string => u !== undefined);
  }

  /** Context 1 (made on first call) and a user in it; returns the user's id. */
  async addUser(login: string, password: string): Promise<number> {
    const context = await this.bus.request(ContextsAdd, { contextId: 1 });
    if (!context.ok && context.error.code !== 'conflict') throw new Error(`cannot add context 1: ${context.error.message}`);
    return (await this.bus.call(UsersAdd, { login, password, contextId: 1, email: `${login}@example.org` })).userId;
  }

  /** Every log line of every process, in the order each process wrote them. */
  logs(): LogLine[] {
    return this.processes.flatMap((p) => p.logs);
  }

  /** Log lines at error level or above: what an operator would be paged for. */
  errorLogs(): LogLine[] {
    return this.logs().filter((l) => l.level >= LOG_LEVEL.error);
  }

  async stop(): Promise<void> {
    await this.bus.close().catch(() => undefined);
    await Promise.all(this.processes.map((p) => p.signal('SIGTERM', 10_000)));
    await this.postgres.stop();
    await this.nats.stop();
  }
}
