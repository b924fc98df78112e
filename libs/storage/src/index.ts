export * from './pglite';
export * from './pglite-pool';
export * from './data-source';
export * from './storage.module';
export * from './health';
export * from './health.handler';
export * from './json-rows';
export * from './outbox';
