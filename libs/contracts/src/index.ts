export * from './reply';
export * from './contract';
export * from './directory.contract';
export * from './health.contract';
export * from './config-keys';
export * from './config.contract';
export * from './registry';
export * from './contacts.contract';
