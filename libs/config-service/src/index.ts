export * from './config-service.module';
