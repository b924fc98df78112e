export * from './calendar-object';
export * from './occurrence-span';
