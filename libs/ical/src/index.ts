export * from './calendar-object';
export * from './occurrence-span';
export * from './instances';
export * from './calendar-filter';
export * from './calendar-data';
export * from './free-busy';
export * from './simple-event';
export * from './select-calendar-data';
export type { IcalComponent } from './ical-module';
