import { Module } from '@nestjs/common';
import { CacheInvalidationHandler } from './cache-invalidation.handler';
import { EffectiveConfigCache } from './effective-config.cache';
import { NodeCaches } from './node-caches';

/** The effective-config cache and this node's side of cache invalidation; needs the bus and logger modules. */
@Module({
  controllers: [CacheInvalidationHandler],
  providers: [EffectiveConfigCache, NodeCaches],
  exports: [EffectiveConfigCache, NodeCaches],
})
export class ConfigClientModule {}
