export * from './settings';
export * from './edge-certificate';
export * from './node';
export * from './nest-apps';
export * from './admin-channel';
export * from './control-socket';
export * from './data-dir-lock';
export * from './demo-seed';
export * from './serve';
export * from './migrate';
// The CLI validates config directories offline with the config service's own reader.
export { loadServerConfig, type ConfigProblem } from '@davmesh/config-service';
export * from './ops/readiness';
export * from './ops/node-metrics';
export * from './ops/ops-listener';
export * from './domain-thread/domain-thread';
