export * from './service-harness';
export * from './migrated-database';
