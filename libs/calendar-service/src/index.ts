export * from './calendar-service.module';
