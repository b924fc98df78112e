import { Module } from '@nestjs/common';
import { ConfigEventsListener } from './config-events.listener';
import { EffectiveConfigCache } from './effective-config.cache';

/** The effective-config cache with its event listener; needs the bus and logger modules. */
@Module({
  controllers: [ConfigEventsListener],
  providers: [EffectiveConfigCache],
  exports: [EffectiveConfigCache],
})
export class ConfigClientModule {}
