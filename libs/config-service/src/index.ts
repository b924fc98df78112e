export * from './config-service.module';
export * from './cascade/config-service-options';
export { loadServerConfig, type ConfigProblem } from './cascade/server-config';
