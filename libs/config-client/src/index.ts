export * from './effective-config.cache';
export * from './node-caches';
export * from './cache-invalidation.handler';
export * from './config-client.module';
