export * from './logger';
export * from './logger.module';
export * from './repeat-limiter';
export * from './log-context';
export * from './once-per-turn';
