import { type INestMicroservice } from '@nestjs/common';
import { type PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { DataSource } from 'typeorm';
import { type SharedNatsConnection } from '@davmesh/bus';
import { ParsedObjects } from '@davmesh/calendar-service';
import { EffectiveConfigCache } from '@davmesh/config-client';
import { ServerConfigHolder } from '@davmesh/config-service';
import { latestMigration, newestShippedMigration, postgresPool } from '@davmesh/storage';
import { type DomainRole } from '../settings';
import { type NodeMetrics } from './node-metrics';
import { type Readiness } from './readiness';

export function watchBus(nats: SharedNatsConnection, readiness: Readiness, metrics: NodeMetrics): void {
  readiness.add('bus', async () => (await nats.isConnected()) || `not connected to NATS at ${nats.servers}`);
  metrics.watchNats(nats);
}

/**
 * A domain service's readiness and metrics: its database answers, its schema is at the newest
 * migration this build ships, the config service has its server configuration; its pool and
 * caches are reported.
 */
export function watchDomainService(role: DomainRole, app: INestMicroservice, readiness: Readiness, metrics: NodeMetrics): void {
  const dataSource = app.get(DataSource);
  const schema = (dataSource.options as PostgresConnectionOptions).schema ?? 'public';
  readiness.add(`database:${role}`, async (): Promise<true> => {
    await dataSource.query('SELECT 1');
    return true;
  });
  readiness.add(`schema:${role}`, async () => {
    const applied = await latestMigration(dataSource, schema);
    const shipped = newestShippedMigration(dataSource);
    return applied === shipped || `schema "${schema}" is at ${applied}, this build needs ${shipped}`;
  });
  const pool = postgresPool(dataSource);
  if (pool) metrics.watchPool(role, pool);
  switch (role) {
    case 'config': {
      const holder = app.get(ServerConfigHolder);
      readiness.add('configuration', () => holder.config !== undefined || 'the server configuration is not loaded');
      break;
    }
    case 'calendar':
      metrics.watchCaches(role, { effective_config: app.get(EffectiveConfigCache).counts, parsed_objects: app.get(ParsedObjects).counts });
      break;
    case 'contacts':
      break;
  }
}
