import { z } from 'zod';
import { CONFIG_KEYS, type ConfigKey, type ConfigLevel, type ConfigValue } from './config-keys';
import { defineEvent, defineRequest } from './contract';

export interface EffectiveValue {
  value: ConfigValue;
  level: ConfigLevel;
  /** Where it came from: a file and line, a context set's name, `context 7`, `user 12`. */
  source: string;
}

export interface EffectiveConfig {
  userId: number;
  contextId: number;
  /** Rises with every configuration change anywhere; caches keep what they fetched with it. */
  revision: number;
  values: Record<ConfigKey, EffectiveValue>;
}

const key = z.string().refine((k) => Object.prototype.hasOwnProperty.call(CONFIG_KEYS, k), 'unknown configuration key');
const scalar = z.union([z.string().max(4096), z.number(), z.boolean()]);
const userId = z.number().int().positive();
const contextId = z.number().int().positive();

/** The effective value of every key for one user, with the level each came from. */
export const ConfigResolve = defineRequest<{ userId: number }, EffectiveConfig>('config.v1.resolve', z.object({ userId }).strict(), { idempotent: true });

export interface ServerValues {
  revision: number;
  /** Defaults and server files only: what holds for everyone before context sets. */
  values: Record<ConfigKey, EffectiveValue>;
}

/** Server-wide settings the edge needs before it knows the user (the DAV prefix paths). */
export const ConfigServerValues = defineRequest<Record<string, never>, ServerValues>(
  'config.v1.server-values',
  z.object({}).strict(),
  { idempotent: true },
);

export interface ExplainedLevel {
  level: ConfigLevel;
  source: string;
  value: ConfigValue;
}

export interface ConfigExplanation {
  key: ConfigKey;
  /** Every level that sets the key, lowest first; the last one wins. */
  levels: ExplainedLevel[];
  effective: EffectiveValue;
  /** Context sets that match the user and set the key, in the order they were applied. */
  reason: string;
}

export const ConfigExplain = defineRequest<{ userId: number; key: string }, ConfigExplanation>(
  'config.v1.explain',
  z.object({ userId, key }).strict(),
  { idempotent: true },
);

export const ConfigSet = defineRequest<{ key: string; value: ConfigValue; contextId?: number; userId?: number }, { revision: number }>(
  'config.v1.set',
  z
    .object({ key, value: scalar, contextId: contextId.optional(), userId: userId.optional() })
    .strict()
    .refine((r) => (r.contextId === undefined) !== (r.userId === undefined), 'give exactly one of contextId and userId'),
);

export const ConfigUnset = defineRequest<{ key: string; contextId?: number; userId?: number }, { revision: number; removed: boolean }>(
  'config.v1.unset',
  z
    .object({ key, contextId: contextId.optional(), userId: userId.optional() })
    .strict()
    .refine((r) => (r.contextId === undefined) !== (r.userId === undefined), 'give exactly one of contextId and userId'),
);

export interface StoredValue {
  key: ConfigKey;
  value: ConfigValue;
}

/** The values stored at one context or user (not the effective ones). */
export const ConfigGet = defineRequest<{ contextId?: number; userId?: number }, StoredValue[]>(
  'config.v1.get',
  z
    .object({ contextId: contextId.optional(), userId: userId.optional() })
    .strict()
    .refine((r) => (r.contextId === undefined) !== (r.userId === undefined), 'give exactly one of contextId and userId'),
  { idempotent: true },
);

export interface ConfigChangedEvent {
  revision: number;
  /** What changed: server files (everyone), one context, or one user. */
  scope: 'server' | 'context' | 'user';
  contextId?: number;
  userId?: number;
}

export const ConfigChanged = defineEvent<ConfigChangedEvent>(
  'config.v1.events.changed',
  z.object({
    revision: z.number().int().nonnegative(),
    scope: z.enum(['server', 'context', 'user']),
    contextId: contextId.optional(),
    userId: userId.optional(),
  }),
);

/** The most problems one replica reports for the files it refused; the rest are in its log. */
export const MAX_CONFIG_PROBLEMS = 100;

export interface ConfigFilesState {
  /** Which config replica answered (`config@host:pid:…`). */
  instanceId: string;
  configDir: string;
  /** sha256 over the names and contents of the files whose values are in force (the last good set). */
  inForce: string;
  /** The files on disk are the ones in force; false when this replica refused them and kept the last good set. */
  applied: boolean;
  /** Why the files on disk were refused, with file and line (at most MAX_CONFIG_PROBLEMS). */
  problems: { where: string; message: string }[];
}

/**
 * Every config replica (a broadcast: gather the replies) re-reads its directory now and answers
 * once the files are in force, or refused, and every live caching node dropped what they replaced.
 */
export const ConfigFilesReload = defineRequest<Record<string, never>, ConfigFilesState>('config.v1.files.reload', z.object({}).strict());
