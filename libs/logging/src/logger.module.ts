import { type DynamicModule, Module } from '@nestjs/common';
import { type Logger } from 'pino';

/** Injection token for the process's pino logger. */
export const LOGGER = Symbol('LOGGER');

@Module({})
export class LoggerModule {
  static forRoot(logger: Logger): DynamicModule {
    return { module: LoggerModule, global: true, providers: [{ provide: LOGGER, useValue: logger }], exports: [LOGGER] };
  }
}
