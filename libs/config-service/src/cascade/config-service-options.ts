export interface ConfigServiceOptions {
  /** Directory with `*.properties` and `contextSets/*.yml`; absent means defaults only. */
  configDir: string;
  /** How often the directory is checked for changes, besides file-system notifications. */
  pollMs: number;
}

export const CONFIG_SERVICE_OPTIONS = Symbol('CONFIG_SERVICE_OPTIONS');
