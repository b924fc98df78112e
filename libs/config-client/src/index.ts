export * from './effective-config.cache';
export * from './config-events.listener';
export * from './config-client.module';
