export * from './service-harness';
export * from './migrated-database';
export * from './calendar-with-config-service';
export * from './calendar-bus-view';
export * from './calendar-with-directory';
