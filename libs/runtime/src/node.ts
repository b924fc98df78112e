import { type Server } from 'node:net';
import { join } from 'node:path';
import { type INestApplicationContext } from '@nestjs/common';
import { type PGlite } from '@electric-sql/pglite';
import { createBusClient, InProcessBroker, type BusClient, type BusTransport } from '@davmesh/bus';
import { type Logger } from '@davmesh/logging';
import { openPGlite, type StorageTarget } from '@davmesh/storage';
import { type EdgeOptions } from '@davmesh/edge';
import { serveControlSocket } from './control-socket';
import { lockDataDir } from './data-dir-lock';
import { seedDemoDirectory } from './demo-seed';
import { startDomainService, startEdge } from './nest-apps';
import { type DomainRole, type Role, type RuntimeSettings } from './settings';

export interface RunningNode {
  /** Base URL of the edge, when this node runs it. */
  url?: string;
  /** A bus client of this node, for admin calls and tests. */
  bus: BusClient;
  /** Whether this start created the demo user. */
  seededDemo: boolean;
  close(): Promise<void>;
}

export interface NodeOptions {
  edge?: Partial<EdgeOptions>;
  /** Create context 1 and demo/demo on an empty directory (embedded mode). */
  seedDemo?: boolean;
  /** Listen on the data directory's control socket (embedded mode). */
  controlSocket?: boolean;
}

const DOMAIN_ROLES: DomainRole[] = ['config', 'calendar', 'contacts'];

/** Starts the roles the settings name; on any failure, stops what started and rethrows. */
export async function startNode(settings: RuntimeSettings, logger: Logger, options: NodeOptions = {}): Promise<RunningNode> {
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) {
      try {
        await closer();
      } catch (error) {
        logger.warn({ err: error }, 'error while stopping');
      }
    }
  };
  try {
    const { transport, storage } = await openInfrastructure(settings, closers);
    const apps: INestApplicationContext[] = [];
    closers.push(() => Promise.all(apps.map((app) => app.close())).then(() => undefined));
    for (const role of DOMAIN_ROLES.filter((r) => settings.roles.includes(r))) {
      apps.push(
        await startDomainService(role, transport, requireStorage(storage, role), logger, {
          configDir: settings.configDir,
          pollMs: settings.configPollMs,
        }),
      );
    }
    const bus = await createBusClient(transport, 'node');
    closers.push(() => bus.close());
    const seededDemo = options.seedDemo && settings.roles.includes('config') ? await seedDemoDirectory(bus) : false;
    let url: string | undefined;
    if (settings.roles.includes('edge')) {
      const edge = await startEdge(transport, settings.host, settings.port, logger, options.edge);
      apps.push(edge.app);
      url = edge.url;
    }
    if (options.controlSocket && settings.mode === 'embedded') {
      const server: Server = await serveControlSocket(settings.dataDir, bus);
      closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    }
    return { url, bus, seededDemo, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function openInfrastructure(
  settings: RuntimeSettings,
  closers: (() => Promise<void> | void)[],
): Promise<{ transport: BusTransport; storage?: StorageTarget }> {
  if (settings.mode === 'distributed') {
    return {
      transport: { kind: 'nats', servers: settings.natsUrl, prefix: settings.subjectPrefix },
      storage: settings.databaseUrl ? { kind: 'postgres', url: settings.databaseUrl } : undefined,
    };
  }
  closers.push(lockDataDir(settings.dataDir));
  const db: PGlite = await openPGlite(join(settings.dataDir, 'pgdata'));
  closers.push(() => db.close());
  return { transport: { kind: 'in-process', broker: new InProcessBroker() }, storage: { kind: 'pglite', db } };
}

function requireStorage(storage: StorageTarget | undefined, role: Role): StorageTarget {
  if (!storage) throw new Error(`the ${role} role needs a database`);
  return storage;
}
