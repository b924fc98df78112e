import { CONFIG_KEYS, type ConfigKey, type EffectiveValue } from '@davmesh/contracts';

/** Level 1 of the cascade: the registry's built-in defaults. */
export function defaultValues(): Record<ConfigKey, EffectiveValue> {
  const values = {} as Record<ConfigKey, EffectiveValue>;
  for (const [key, definition] of Object.entries(CONFIG_KEYS) as [ConfigKey, (typeof CONFIG_KEYS)[ConfigKey]][]) {
    values[key] = { value: definition.default, level: 'default', source: 'built-in default' };
  }
  return values;
}
