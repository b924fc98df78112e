import { z } from 'zod';
import { ConfigChanged, type ConfigChangedEvent } from './config.contract';
import { defineEvent, defineRequest } from './contract';
import { UserChanged, type UserChangedEvent } from './directory.contract';

/**
 * Acknowledged invalidation: every node that caches configuration or logins (edges, calendar
 * replicas) answers both subjects, each instance for itself (no queue group). A config or
 * directory write asks them to drop what it changed and waits for the acknowledgements of the
 * nodes that answered the last roll-calls, so it returns only when none of them can serve the
 * old value.
 */
export interface CacheNode {
  /** Random per process and role, for the writer's lease table. */
  nodeId: string;
  host: string;
  pid: number;
}

const cacheNode = z.object({ nodeId: z.string().min(1).max(64), host: z.string().max(255), pid: z.number().int().nonnegative() });

/** A caching node that just began answering (or reconnected): writers count it live at once. */
export const ConfigCacheNodeStarted = defineEvent<CacheNode>('config.v1.caches.events.started', cacheNode);

/** Roll-call: which caching nodes are alive. */
export const ConfigCachesPresent = defineRequest<Record<string, never>, CacheNode>('config.v1.caches.present', z.object({}).strict());

/** One committed change, as its event announces it. */
export type CacheInvalidation = { config: ConfigChangedEvent } | { user: UserChangedEvent };

/** Drop what the change affects, then answer: the answer is the acknowledgement. */
export const ConfigCachesInvalidate = defineRequest<CacheInvalidation, CacheNode>(
  'config.v1.caches.invalidate',
  z.union([z.object({ config: ConfigChanged.payload }).strict(), z.object({ user: UserChanged.payload }).strict()]) as z.ZodType<CacheInvalidation>,
);
