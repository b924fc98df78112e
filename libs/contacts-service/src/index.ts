export * from './contacts-service.module';
