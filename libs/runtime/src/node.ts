import { type Server } from 'node:net';
import { type PGlite } from '@electric-sql/pglite';
import { createBusClient, InProcessBroker, SharedNatsConnection, type BusClient, type BusTransport } from '@davmesh/bus';
import { type Logger } from '@davmesh/logging';
import { keepPGliteUp, openPGlite, type MigrationPolicy, type StorageTarget } from '@davmesh/storage';
import { type EdgeOptions } from '@davmesh/edge';
import { serveControlSocket } from './control-socket';
import { lockDataDir } from './data-dir-lock';
import { seedDemoDirectory } from './demo-seed';
import { startEdge } from './nest-apps';
import { startDomainRoles } from './domain-roles';
import { DomainThread } from './domain-thread/domain-thread';
import { embeddedDatabaseDir } from './embedded-paths';
import { type RuntimeSettings } from './settings';
import { stopNode, type NodeParts } from './node-stop';
import { NodeMetrics } from './ops/node-metrics';
import { OpsListener } from './ops/ops-listener';
import { Readiness } from './ops/readiness';
import { watchBus } from './ops/role-checks';

export { embeddedDatabaseDir } from './embedded-paths';

export interface RunningNode {
  /** Base URL of the edge, when this node runs it. */
  url?: string;
  /** Base URL of the ops listener (/healthz, /readyz, /metrics), when DAVMESH_OPS_PORT is set. */
  opsUrl?: string;
  /** This process's readiness checks; other parts may add theirs. */
  readiness: Readiness;
  /** This node's metrics registry. */
  metrics: NodeMetrics;
  /** A bus client of this node, for admin calls and tests. */
  bus: BusClient;
  /** Whether this start created the demo user. */
  seededDemo: boolean;
  /**
   * Stops in order, within the settings' shutdown grace: readiness false, HTTP intake
   * stopped, requests in flight answered, bus subscriptions drained, the NATS connection
   * and the databases closed. Calling it again waits for the same stop.
   */
  close(): Promise<void>;
}

export interface NodeOptions {
  edge?: Partial<EdgeOptions>;
  /** Create context 1 and demo/demo on an empty directory (embedded mode). */
  seedDemo?: boolean;
  /** Listen on the data directory's control socket (embedded mode). */
  controlSocket?: boolean;
  /** The in-process broker of an embedded node (default: a new one), so a caller can attach its own bus clients. */
  broker?: InProcessBroker;
  /**
   * A part the node cannot serve without ended on its own (embedded mode's domain thread). By
   * default the error is thrown on the main thread, uncaught, so the process ends as it did when
   * the services shared its thread and a supervisor starts it again.
   */
  onFatal?: (error: Error) => void;
}

/** Starts the roles the settings name; on any failure, stops what started and rethrows. */
export async function startNode(settings: RuntimeSettings, logger: Logger, options: NodeOptions = {}): Promise<RunningNode> {
  const readiness = new Readiness();
  const metrics = new NodeMetrics();
  const parts: NodeParts = { domainApps: [], releases: [], readiness };
  let stopping: Promise<void> | undefined;
  const close = () => (stopping ??= stopNode(parts, settings.shutdownGraceSeconds * 1000, logger));
  let starting: string | undefined = 'infrastructure';
  // DAVMESH_MIGRATIONS=wait: what the role that is starting waits for, so /readyz says why it is not ready.
  let schemaWait: string | undefined;
  readiness.add('start', () => starting === undefined || `still starting (${starting}${schemaWait ? `: ${schemaWait}` : ''})`);
  try {
    // First, so that probes are answered (not ready) while the roles start, however long that takes.
    if (settings.ops) parts.ops = await OpsListener.start(settings.ops, readiness, metrics, logger);
    const { transport, storage } = await openInfrastructure(settings, parts, logger, options.broker, metrics, (note) => (schemaWait = note));
    if (parts.nats) watchBus(parts.nats, readiness, metrics);
    if (settings.mode === 'embedded' && settings.domainThread && transport.kind === 'in-process') {
      starting = 'domain thread';
      const { roles, dataDir, configDir, configPollMs } = settings;
      const onLost = options.onFatal ?? ((error: Error) => setImmediate(() => {
        throw error;
      }));
      parts.domainThread = await DomainThread.start({ roles, dataDir, configDir, configPollMs, onLost }, transport.broker, logger, readiness, metrics);
    } else {
      await startDomainRoles(
        settings.roles,
        transport,
        () => requireStorage(storage),
        logger,
        { configDir: settings.configDir, pollMs: settings.configPollMs },
        { readiness, metrics },
        parts.domainApps,
        (role) => {
          if (role) starting = role;
          else schemaWait = undefined;
        },
      );
      if (storage?.kind === 'pglite') {
        const upkeep = keepPGliteUp(storage.db, logger);
        parts.releases.push(() => upkeep.stop());
      }
    }
    const bus = await createBusClient(transport, 'node');
    parts.bus = bus;
    const seededDemo = options.seedDemo && settings.roles.includes('config') ? await seedDemoDirectory(bus) : false;
    if (settings.roles.includes('edge')) {
      starting = 'edge';
      parts.edge = await startEdge(
        transport,
        settings.host,
        settings.port,
        logger,
        options.edge,
        settings.edgeTls && { files: settings.edgeTls, pollMs: settings.configPollMs },
        metrics,
      );
    }
    if (options.controlSocket && settings.mode === 'embedded') {
      const server: Server = await serveControlSocket(settings.dataDir, bus);
      parts.controlSocket = server;
    }
    starting = undefined;
    return { url: parts.edge?.url, opsUrl: parts.ops?.url, readiness, metrics, bus, seededDemo, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function openInfrastructure(
  settings: RuntimeSettings,
  parts: NodeParts,
  logger: Logger,
  broker = new InProcessBroker(),
  metrics: NodeMetrics,
  onSchemaWait: (note: string) => void,
): Promise<{ transport: BusTransport; storage?: StorageTarget }> {
  if (settings.mode === 'distributed') {
    // One connection per process, whatever its roles: servers and clients share it.
    const connection = new SharedNatsConnection(settings.natsUrl, `davmesh-${settings.roles.join('+')}`, settings.natsSecurity);
    parts.nats = connection;
    return {
      transport: { kind: 'nats', servers: settings.natsUrl, prefix: settings.subjectPrefix, connection, security: settings.natsSecurity, metrics },
      storage: settings.databaseUrl ? { kind: 'postgres', url: settings.databaseUrl, migrations: migrationPolicy(settings, logger, onSchemaWait), preparedStatements: settings.preparedStatements } : undefined,
    };
  }
  parts.releases.push(lockDataDir(settings.dataDir));
  const transport: BusTransport = { kind: 'in-process', broker, metrics };
  if (settings.domainThread) return { transport };
  const db: PGlite = await openPGlite(embeddedDatabaseDir(settings.dataDir));
  parts.releases.push(() => db.close());
  return { transport, storage: { kind: 'pglite', db } };
}

/** DAVMESH_MIGRATIONS=wait: each domain role waits for `davmesh migrate`, and says so once, in the log and on /readyz (its start stays unfinished: not ready). */
function migrationPolicy(settings: Extract<RuntimeSettings, { mode: 'distributed' }>, logger: Logger, onSchemaWait: (note: string) => void): MigrationPolicy {
  if (settings.migrations === 'run') return { kind: 'run' };
  return {
    kind: 'wait',
    waitSeconds: settings.schemaWaitSeconds,
    onWaiting: (schema, pending) => {
      const newest = pending[pending.length - 1];
      logger.info({ schema, pending: pending.length, newest, waitSeconds: settings.schemaWaitSeconds }, 'waiting for the schema');
      onSchemaWait(`schema "${schema}" lacks ${pending.length} migration(s) up to ${newest}: waiting for \`davmesh migrate\``);
    },
  };
}

function requireStorage(storage: StorageTarget | undefined): StorageTarget {
  if (!storage) throw new Error('the calendar, contacts and config roles need a database');
  return storage;
}
