import { CALENDAR_SERVICE_SCHEMA } from '@davmesh/calendar-service';
import { CONFIG_SERVICE_SCHEMA } from '@davmesh/config-service';
import { CONTACTS_SERVICE_SCHEMA } from '@davmesh/contacts-service';
import { latestMigration, openServiceDataSource, type ServiceSchema } from '@davmesh/storage';

/** Every service's schema, in the order `davmesh migrate` applies them. */
export const SERVICE_SCHEMAS: readonly ServiceSchema[] = [CONFIG_SERVICE_SCHEMA, CALENDAR_SERVICE_SCHEMA, CONTACTS_SERVICE_SCHEMA];

export interface MigratedSchema {
  schema: string;
  /** The newest migration applied, after the run. */
  latest: string;
}

/**
 * `davmesh migrate`: applies each service's migrations to PostgreSQL, under the same advisory
 * lock a role that migrates at start takes, so it is safe beside running roles and other runs.
 */
export async function migrateDatabase(databaseUrl: string): Promise<MigratedSchema[]> {
  const done: MigratedSchema[] = [];
  for (const service of SERVICE_SCHEMAS) {
    // Not hot: nothing gained by prepared statements, and no pooler's setting to get right.
    const dataSource = await openServiceDataSource({ kind: 'postgres', url: databaseUrl, migrations: { kind: 'run' }, preparedStatements: false }, service);
    try {
      done.push({ schema: service.schema, latest: await latestMigration(dataSource, service.schema) });
    } finally {
      await dataSource.destroy();
    }
  }
  return done;
}
