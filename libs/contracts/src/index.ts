export * from './reply';
export * from './contract';
export * from './directory.contract';
export * from './health.contract';
export * from './registry';
