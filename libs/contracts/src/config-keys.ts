/**
 * The typed registry of every setting the config cascade knows: its type, default,
 * allowed values, the levels it may be set at, and one line of help. Key names are
 * the Open-Xchange ones, so operators can bring their files along.
 */
export type ConfigValue = string | number | boolean;

/** Lowest to highest precedence. */
export const CONFIG_LEVELS = ['default', 'server', 'context-set', 'context', 'user'] as const;
export type ConfigLevel = (typeof CONFIG_LEVELS)[number];

export type ConfigKeyType = 'boolean' | 'string' | 'enum' | 'regex' | 'folder-list' | 'path';

export interface ConfigKeyDefinition {
  type: ConfigKeyType;
  default: ConfigValue;
  /** For `enum`: the only values accepted. */
  allowed?: readonly string[];
  /** Levels above `default` where the key may be set. */
  levels: readonly Exclude<ConfigLevel, 'default'>[];
  help: string;
}

const ALL_LEVELS = ['server', 'context-set', 'context', 'user'] as const;
const SERVER_ONLY = ['server'] as const;

export const CONFIG_KEYS = {
  'com.openexchange.caldav.enabled': {
    type: 'boolean',
    default: true,
    levels: ALL_LEVELS,
    help: 'Whether the user may use CalDAV; false answers 403 on the calendar home and hides calendar-home-set.',
  },
  'com.openexchange.caldav.tree': {
    type: 'enum',
    default: '0',
    allowed: ['0'],
    levels: ALL_LEVELS,
    help: 'Folder tree used by CalDAV; only the default tree 0 exists.',
  },
  'com.openexchange.caldav.interval.start': {
    type: 'enum',
    default: 'one_month',
    allowed: ['one_month', 'six_months', 'one_year'],
    levels: ALL_LEVELS,
    help: 'Start of the sync window, back from today: older appointments are not listed, queried or synced.',
  },
  'com.openexchange.caldav.interval.end': {
    type: 'enum',
    default: 'one_year',
    allowed: ['one_year', 'two_years'],
    levels: ALL_LEVELS,
    help: 'End of the sync window, ahead of today: later appointments are not listed, queried or synced.',
  },
  'com.openexchange.caldav.url': {
    type: 'string',
    default: 'https://[hostname]/dav/caldav/[folderId]',
    levels: ALL_LEVELS,
    help: 'Where a CalDAV folder is found, shown by frontends; [hostname] and [folderId] are replaced.',
  },
  'com.openexchange.carddav.enabled': {
    type: 'boolean',
    default: true,
    levels: ALL_LEVELS,
    help: 'Whether the user may use CardDAV; false answers 403 on the address book home and hides addressbook-home-set.',
  },
  'com.openexchange.carddav.tree': {
    type: 'enum',
    default: '0',
    allowed: ['0'],
    levels: ALL_LEVELS,
    help: 'Folder tree used by CardDAV; only the default tree 0 exists.',
  },
  'com.openexchange.carddav.ignoreFolders': {
    type: 'folder-list',
    default: '',
    levels: ALL_LEVELS,
    help: 'Comma-separated folder ids left out of CardDAV everywhere (6 is the global address list).',
  },
  'com.openexchange.carddav.exposedCollections': {
    type: 'enum',
    default: '0',
    allowed: ['0', '1', '2'],
    levels: ALL_LEVELS,
    help: '1: every folder its own collection; 2: only the aggregated collection; 0: aggregated when the user agent matches userAgentForAggregatedCollection.',
  },
  'com.openexchange.carddav.userAgentForAggregatedCollection': {
    type: 'regex',
    default: '.*(AddressBook|CardDAVPlugin|dataaccessd|CFNetwork.*Darwin).*',
    levels: ALL_LEVELS,
    help: 'Case-insensitive pattern of user agents that get the aggregated collection when exposedCollections is 0 (macOS/iOS Contacts).',
  },
  'com.openexchange.carddav.reducedAggregatedCollection': {
    type: 'boolean',
    default: false,
    levels: ALL_LEVELS,
    help: 'When true the aggregated collection holds only the global address list and the personal contacts folder.',
  },
  'com.openexchange.dav.prefixPath': {
    type: 'path',
    default: '/dav',
    levels: SERVER_ONLY,
    help: 'Path under which clients find every DAV resource; hrefs are written with it. / serves DAV at the root.',
  },
  'com.openexchange.dav.proxyPrefixPath': {
    type: 'path',
    default: '/',
    levels: SERVER_ONLY,
    help: 'Path a reverse proxy forwards DAV requests to, when it differs from prefixPath; such requests are answered as if they came under prefixPath. / means none.',
  },
} as const satisfies Record<string, ConfigKeyDefinition>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

export function isConfigKey(key: string): key is ConfigKey {
  return Object.prototype.hasOwnProperty.call(CONFIG_KEYS, key);
}
