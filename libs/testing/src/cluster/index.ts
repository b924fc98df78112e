export * from './cluster';
export * from './dav-load';
export * from './ports';
export * from './private-nats';
export * from './private-postgres';
export * from './role-process';
export * from './fault-under-load';
