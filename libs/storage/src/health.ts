import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type HealthReport, type ServiceName } from '@davmesh/contracts';
import { type DataSource } from 'typeorm';
import { latestMigration } from './data-source';

/** Identifies one running instance of a service in health replies and logs. */
export function newInstanceId(service: string): string {
  return `${service}@${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export async function checkHealth(
  dataSource: DataSource,
  schema: string,
  service: ServiceName,
  instanceId: string,
): Promise<HealthReport> {
  return { service, instanceId, database: 'ok', schemaVersion: await latestMigration(dataSource, schema) };
}
