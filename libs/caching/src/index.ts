export * from './change-generation';
