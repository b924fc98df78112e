import { CalendarServiceModule } from '@davmesh/calendar-service';
import { ConfigServiceModule } from '@davmesh/config-service';
import { type StorageTarget } from '@davmesh/storage';
import { describeServicesOnEachStore, startServicesOn, type HarnessService, type StorageServiceHarness } from './service-harness';

export interface CalendarWithConfig {
  /** The calendar service's harness: its bus reaches both services. */
  harness: StorageServiceHarness;
  close(): Promise<void>;
}

/**
 * The config service and the calendar service, each its own app on one store and in-process bus
 * as a node runs them: the directory (users by id and by address) and the server values of the
 * config directory (`*.properties`) answer from the config service itself. `configDir` is read
 * when the services start.
 */
export function calendarWithConfigServices(configDir: () => string): HarnessService[] {
  return [
    { name: 'config', feature: (storage: StorageTarget) => ConfigServiceModule.register(storage, { configDir: configDir(), pollMs: 60_000 }) },
    { name: 'calendar', feature: (storage: StorageTarget) => CalendarServiceModule.register(storage) },
  ];
}

/** Both services on a store of the caller's (left as it is on close). */
export async function startCalendarWithConfig(storage: StorageTarget, configDir: string): Promise<CalendarWithConfig> {
  const harness = await startServicesOn(storage, calendarWithConfigServices(() => configDir));
  return { harness, close: () => harness.close() };
}

/** Starts the pair for one `describe` block and closes it (and its store) after. */
export type CalendarWithConfigStart = (configDir: string) => Promise<CalendarWithConfig>;

/** The same cases on embedded PGlite and, where the infrastructure is up, on PostgreSQL, as describeServicesOnEachStore has them. */
export function describeWithConfigOnEachStore(title: string, cases: (start: CalendarWithConfigStart) => void): void {
  let configDir = '';
  describeServicesOnEachStore(title, calendarWithConfigServices(() => configDir), (start) =>
    cases(async (dir) => {
      configDir = dir;
      return start();
    }),
  );
}
