export * from './calendar-service.module';
// The runtime reads its cache counts for the metrics.
export { ParsedObjects } from './objects/parsed-objects';
