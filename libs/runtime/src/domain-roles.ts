import { type INestMicroservice } from '@nestjs/common';
import { type BusTransport } from '@davmesh/bus';
import { type ConfigServiceOptions } from '@davmesh/config-service';
import { type Logger } from '@davmesh/logging';
import { type StorageTarget } from '@davmesh/storage';
import { startDomainService } from './nest-apps';
import { type NodeMetrics } from './ops/node-metrics';
import { type Readiness } from './ops/readiness';
import { watchDomainService } from './ops/role-checks';
import { type DomainRole } from './settings';

/** Services that ask the config service start after it and stop before it does. */
export const DOMAIN_ROLES: DomainRole[] = ['config', 'calendar', 'contacts'];

export interface DomainApp {
  role: DomainRole;
  app: INestMicroservice;
}

/**
 * Starts the domain roles named, config first, each watched by the readiness and metrics given;
 * each started app is pushed onto `started` at once, so a failed start stops what there is.
 * `onRole` hears which role is starting, then undefined once it answers.
 */
export async function startDomainRoles(
  roles: readonly string[],
  transport: BusTransport,
  storage: () => StorageTarget,
  logger: Logger,
  config: ConfigServiceOptions,
  watch: { readiness: Readiness; metrics: NodeMetrics },
  started: DomainApp[],
  onRole: (role: DomainRole | undefined) => void = () => undefined,
): Promise<void> {
  for (const role of DOMAIN_ROLES.filter((r) => roles.includes(r))) {
    onRole(role);
    const app = await startDomainService(role, transport, storage(), logger, config);
    onRole(undefined);
    started.push({ role, app });
    watchDomainService(role, app, watch.readiness, watch.metrics);
  }
}

/** Dependents first, then the config service they ask; each stop's failure is the step's to report. */
export async function stopDomainApps(apps: DomainApp[], step: (what: string, run: () => Promise<unknown>) => Promise<void>): Promise<void> {
  await Promise.all(apps.filter((d) => d.role !== 'config').map((d) => step(d.role, () => d.app.close())));
  await Promise.all(apps.filter((d) => d.role === 'config').map((d) => step(d.role, () => d.app.close())));
}
