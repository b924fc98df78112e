export * from './change-generation';
export * from './cache-counts';
