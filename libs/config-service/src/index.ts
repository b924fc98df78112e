export * from './config-service.module';
export * from './cascade/config-service-options';
export { loadServerConfig, type ConfigProblem } from './cascade/server-config';
// The runtime's readiness check asks whether the server configuration is loaded.
export { ServerConfigHolder } from './cascade/server-config.holder';
