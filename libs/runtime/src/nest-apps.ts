import { type INestApplication, type INestMicroservice, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { BusModule, createServerStrategy, type BusTransport } from '@davmesh/bus';
import { CalendarServiceModule } from '@davmesh/calendar-service';
import { NodeCaches } from '@davmesh/config-client';
import { ConfigServiceModule, type ConfigServiceOptions } from '@davmesh/config-service';
import { ContactsServiceModule } from '@davmesh/contacts-service';
import { DavDispatcher, EdgeCaches, EdgeModule, observeRequests, type EdgeOptions } from '@davmesh/edge';
import { LoggerModule, NestPinoLogger, type Logger } from '@davmesh/logging';
import { type StorageTarget } from '@davmesh/storage';
import { CertificateReloader, describeCertificate, readCertificatePair, type EdgeTlsFiles } from './edge-certificate';
import { HttpDrain } from './http-drain';
import { type NodeMetrics } from './ops/node-metrics';
import { type DomainRole } from './settings';

/** Domain roles that cache configuration (their modules import the config client): they answer the caches' roll-call. */
const CACHING_ROLES: DomainRole[] = ['calendar'];

@Module({})
class RootModule {
  static for(feature: DynamicModule, transport: BusTransport, name: string, logger: Logger): DynamicModule {
    return {
      module: RootModule,
      imports: [LoggerModule.forRoot(logger), BusModule.forRoot(transport, name), feature],
    };
  }
}

function featureModule(role: DomainRole, storage: StorageTarget, config: ConfigServiceOptions): DynamicModule {
  switch (role) {
    case 'config':
      return ConfigServiceModule.register(storage, config);
    case 'calendar':
      return CalendarServiceModule.register(storage);
    case 'contacts':
      return ContactsServiceModule.register(storage);
  }
}

/** One domain service as its own Nest microservice, answering on the bus. */
export async function startDomainService(
  role: DomainRole,
  transport: BusTransport,
  storage: StorageTarget,
  logger: Logger,
  config: ConfigServiceOptions,
): Promise<INestMicroservice> {
  const roleLogger = logger.child({ service: role });
  const strategy = createServerStrategy(transport, role);
  const app = await NestFactory.createMicroservice(
    RootModule.for(featureModule(role, storage, config), transport, role, roleLogger),
    { strategy, logger: new NestPinoLogger(roleLogger), abortOnError: false },
  );
  // No enableShutdownHooks: the process stops its apps itself, in order (node-stop.ts).
  await app.listen();
  if (CACHING_ROLES.includes(role)) {
    const caches = app.get(NodeCaches);
    // A reconnected node may have missed invalidation events (core NATS is at most once).
    strategy.on('reconnect', () => {
      roleLogger.warn('reconnected to the bus: dropping cached configuration');
      caches.flush();
      void caches.announce().catch(() => undefined);
    });
    await caches.announce();
  }
  roleLogger.info('service ready');
  return app;
}

export interface StartedEdge {
  app: INestApplication;
  url: string;
  dispatcher: DavDispatcher;
  drain: HttpDrain;
  /** Set when the edge serves HTTPS. */
  certificate?: CertificateReloader;
}

/** HTTPS for the edge: the certificate files, checked for changes every `pollMs`. */
export interface EdgeTls {
  files: EdgeTlsFiles;
  pollMs: number;
}

/** The HTTP edge, listening for DAV and for the events that invalidate its caches. */
export async function startEdge(
  transport: BusTransport,
  host: string,
  port: number,
  logger: Logger,
  options: Partial<EdgeOptions> = {},
  tls?: EdgeTls,
  metrics?: NodeMetrics,
): Promise<StartedEdge> {
  const edgeLogger = logger.child({ service: 'edge' });
  // Read before anything starts: a bad pair fails the start with one line.
  const httpsOptions = tls && readCertificatePair(tls.files);
  const app = await NestFactory.create(
    RootModule.for(EdgeModule.register(options), transport, 'edge', edgeLogger),
    new ExpressAdapter(),
    { bodyParser: false, logger: new NestPinoLogger(edgeLogger), abortOnError: false, httpsOptions },
  );
  const events = createServerStrategy(transport, 'edge');
  app.connectMicroservice({ strategy: events }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  const caches = app.get(EdgeCaches);
  metrics?.watchCaches('edge', caches.counts());
  const nodeCaches = app.get(NodeCaches);
  // A reconnected node may have missed invalidation events (core NATS is at most once).
  events.on('reconnect', () => {
    edgeLogger.warn('reconnected to the bus: dropping cached logins and configuration');
    caches.flush();
    void nodeCaches.announce().catch(() => undefined);
  });
  await nodeCaches.announce();
  const dispatcher = app.get(DavDispatcher);
  const drain = new HttpDrain(app.getHttpServer());
  if (metrics) observeRequests(app.getHttpServer(), (request) => dispatcher.resourceKind(request), metrics);
  await dispatcher.serveOn(app.getHttpServer());
  // The dispatcher answers every request, in Express's place on the server: Express's router and
  // its request decorations took 3.8% of a busy edge's thread and served no route of ours.
  app.getHttpServer().removeListener('request', app.getHttpAdapter().getInstance());
  app.getHttpServer().on('request', dispatcher.handle);
  await app.listen(port, host);
  const address = app.getHttpServer().address() as { port: number };
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const certificate = tls && new CertificateReloader(app.getHttpServer(), tls.files, tls.pollMs, edgeLogger);
  edgeLogger.info({ url, ...(httpsOptions && { certificate: describeCertificate(httpsOptions.cert) }) }, 'edge listening');
  return { app, url, dispatcher, drain, certificate };
}
