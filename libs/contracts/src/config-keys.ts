/**
 * The typed registry of every setting the config cascade knows: its type, default,
 * allowed values, the levels it may be set at, and one line of help. Key names are
 * the Open-Xchange ones, so operators can bring their files along.
 */
export type ConfigValue = string | number | boolean;

/** Lowest to highest precedence. */
export const CONFIG_LEVELS = ['default', 'server', 'context-set', 'context', 'user'] as const;
export type ConfigLevel = (typeof CONFIG_LEVELS)[number];

export type ConfigKeyType =
  | 'boolean'
  | 'string'
  | 'enum'
  | 'regex'
  | 'folder-list'
  | 'path'
  | 'integer'
  | 'address-list'
  | 'agent-patterns'
  | 'domain'
  | 'smtp-url'
  | 'email-address';

export interface ConfigKeyDefinition {
  type: ConfigKeyType;
  default: ConfigValue;
  /** For `enum`: the only values accepted. */
  allowed?: readonly string[];
  /** For `integer`: the smallest and largest values accepted. */
  min?: number;
  max?: number;
  /** Levels above `default` where the key may be set. */
  levels: readonly Exclude<ConfigLevel, 'default'>[];
  help: string;
}

/**
 * The admin guide's RewriteCond list for user-agent detection, in its order, Apache quoting and
 * escapes dropped; the last one is negated: the calendar feed client says "Calendar" too.
 */
export const USER_AGENT_ROUTING_DEFAULT = [
  'Calendar', 'Reminders', 'DataAccess', 'DAVKit', 'DAVx5', 'DAVdroid', 'Lightning', 'Thunderbird', 'Adresboek', 'dataaccessd',
  'Preferences', 'Adressbuch', 'AddressBook', 'Address Book', 'CalendarStore', 'CalendarAgent', 'CalDAV%20Sync%20Adapter',
  'CalDavSynchronizer', 'accountsd', 'remindd', 'eM Client', 'OX Sync', 'CalDav', 'CoreDAV', '!Open-Xchange Calendar Feed Client',
].join(', ');

const ALL_LEVELS = ['server', 'context-set', 'context', 'user'] as const;
const SERVER_ONLY = ['server'] as const;
/** Limits read once the user is known: an operator may give a context other ones. */
const UP_TO_CONTEXT = ['server', 'context-set', 'context'] as const;

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
    allowed: ['one_month', 'six_months', 'one_year', 'unlimited'],
    levels: ALL_LEVELS,
    help: 'Start of the sync window, back from today: older appointments are not listed, queried or synced. unlimited (a davmesh extension of the guide\'s values): no bound.',
  },
  'com.openexchange.caldav.interval.end': {
    type: 'enum',
    default: 'one_year',
    allowed: ['one_year', 'two_years', 'unlimited'],
    levels: ALL_LEVELS,
    help: 'End of the sync window, ahead of today: later appointments are not listed, queried or synced. unlimited (a davmesh extension of the guide\'s values): no bound.',
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
  'davmesh.http.headersTimeoutMs': {
    type: 'integer',
    default: 20000,
    min: 1000,
    max: 600000,
    levels: SERVER_ONLY,
    help: 'Milliseconds a client has to send the headers of a request; a slower one is answered 408 and disconnected.',
  },
  'davmesh.http.requestTimeoutMs': {
    type: 'integer',
    default: 120000,
    min: 1000,
    max: 3600000,
    levels: SERVER_ONLY,
    help: 'Milliseconds a client has to send a whole request, body included; a slower one is answered 408 and disconnected.',
  },
  'davmesh.http.trustedProxies': {
    type: 'address-list',
    default: '',
    levels: SERVER_ONLY,
    help: 'Comma-separated addresses and CIDR ranges (or loopback, linklocal, uniquelocal) of reverse proxies whose X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host are believed; empty: the headers are ignored and the client is the socket peer.',
  },
  'davmesh.http.userAgentRouting.enabled': {
    type: 'boolean',
    default: false,
    levels: SERVER_ONLY,
    help: 'The admin guide\'s user-agent detection: requests from agents matching davmesh.http.userAgentRouting.agents are served as DAV at any path (a path outside prefixPath is taken as if under it).',
  },
  'davmesh.http.userAgentRouting.agents': {
    type: 'agent-patterns',
    default: USER_AGENT_ROUTING_DEFAULT,
    levels: SERVER_ONLY,
    help: 'Comma-separated regular expressions (case-sensitive, as the guide\'s RewriteCond): an agent matching any one, and none of those written with a leading !, is routed; the default is the guide\'s list.',
  },
  'davmesh.imip.smtp.url': {
    type: 'smtp-url',
    default: '',
    levels: SERVER_ONLY,
    help: 'The SMTP relay iMIP messages (invitations, replies, cancellations to and from people outside the server) go out through: smtp://host:port (STARTTLS when offered) or smtps://host:port, with user:password@ before the host when the relay wants a login (percent-encoded). Empty: nothing is sent; messages are kept as not-configured with SCHEDULE-STATUS 5.1. Like every server value it is readable on the bus and by davmesh config explain.',
  },
  'davmesh.imip.smtp.requireTls': {
    type: 'boolean',
    default: false,
    levels: SERVER_ONLY,
    help: 'With an smtp:// relay: send only after STARTTLS; a relay that does not offer it is a temporary failure (retried, then failed).',
  },
  'davmesh.imip.smtp.tls.rejectUnauthorized': {
    type: 'boolean',
    default: true,
    levels: SERVER_ONLY,
    help: 'Check the relay\'s TLS certificate (smtps://, STARTTLS) against the system\'s certificate authorities and its host name; false accepts any certificate.',
  },
  'davmesh.imip.from': {
    type: 'email-address',
    default: '',
    levels: SERVER_ONLY,
    help: 'The server\'s own address: the envelope sender (MAIL FROM, where bounces go) and, when it differs from the From of a message, its Sender header (RFC 5322 3.6.2). Empty: the calendar user\'s address is both.',
  },
  'davmesh.imip.fromHeader': {
    type: 'enum',
    default: 'calendar-user',
    allowed: ['calendar-user', 'sender'],
    levels: SERVER_ONLY,
    help: 'calendar-user: From is the organizer (REQUEST, CANCEL) or the attendee (REPLY), as RFC 6047 expects. sender: From is davmesh.imip.from with the calendar user\'s name, Reply-To the calendar user (for relays that refuse other From domains); needs davmesh.imip.from.',
  },
  'davmesh.imip.retry.firstDelaySeconds': {
    type: 'integer',
    default: 60,
    min: 1,
    max: 86400,
    levels: SERVER_ONLY,
    help: 'Seconds before the second attempt at a message the relay could not take (connection failed, 4xx); each later wait doubles, up to davmesh.imip.retry.maxDelaySeconds.',
  },
  'davmesh.imip.retry.maxDelaySeconds': {
    type: 'integer',
    default: 3600,
    min: 1,
    max: 86400,
    levels: SERVER_ONLY,
    help: 'Longest wait between two attempts at one message, in seconds.',
  },
  'davmesh.imip.retry.giveUpHours': {
    type: 'integer',
    default: 48,
    min: 1,
    max: 720,
    levels: SERVER_ONLY,
    help: 'Hours after it was queued when a message still not taken by the relay is given up as failed (SCHEDULE-STATUS 5.1).',
  },
  'davmesh.imip.receive.maxMessageBytes': {
    type: 'integer',
    default: 10485760,
    min: 65536,
    max: 67108864,
    levels: SERVER_ONLY,
    help: 'Largest mail davmesh imip receive reads from standard input, in bytes; a larger one is refused (exit 65) before it is parsed.',
  },
  'davmesh.imip.receive.maxParts': {
    type: 'integer',
    default: 100,
    min: 2,
    max: 1000,
    levels: SERVER_ONLY,
    help: 'Most MIME parts of a mail davmesh imip receive takes, the message itself and each multipart counted; one with more is refused (exit 65) as the parser reaches the next.',
  },
  'davmesh.limits.xml.bodyBytes': {
    type: 'integer',
    default: 1048576,
    min: 1024,
    max: 67108864,
    levels: SERVER_ONLY,
    help: 'Largest XML request body (PROPFIND, PROPPATCH, REPORT, MKCOL, MKCALENDAR) in bytes; more is answered 413.',
  },
  'davmesh.limits.xml.depth': {
    type: 'integer',
    default: 64,
    min: 8,
    max: 1024,
    levels: SERVER_ONLY,
    help: 'Deepest element nesting accepted in an XML request body (filters, dead property values); deeper is answered 400.',
  },
  'davmesh.limits.xml.elements': {
    type: 'integer',
    default: 50000,
    min: 100,
    max: 1000000,
    levels: SERVER_ONLY,
    help: 'Most elements accepted in one XML request body; more is answered 400.',
  },
  'davmesh.limits.xml.attributes': {
    type: 'integer',
    default: 10000,
    min: 10,
    max: 1000000,
    levels: SERVER_ONLY,
    help: 'Most attributes (namespace declarations included) accepted in one XML request body; more is answered 400.',
  },
  'davmesh.limits.xml.namespaces': {
    type: 'integer',
    default: 200,
    min: 4,
    max: 100000,
    levels: SERVER_ONLY,
    help: 'Most namespace declarations accepted in one XML request body; more is answered 400.',
  },
  'davmesh.limits.deadPropertyBytes': {
    type: 'integer',
    default: 65536,
    min: 256,
    max: 1048576,
    levels: SERVER_ONLY,
    help: 'Largest value of one dead property (PROPPATCH, MKCOL, MKCALENDAR), as stored: the property element as written, with the namespace declarations in scope, in bytes (507 beyond).',
  },
  'davmesh.limits.parameterLength': {
    type: 'integer',
    default: 1024,
    min: 64,
    max: 65536,
    levels: UP_TO_CONTEXT,
    help: 'Longest iCalendar or vCard parameter value (a TZID, a CN), in characters; a longer one is refused as invalid data.',
  },
  'davmesh.limits.propertyLength': {
    type: 'integer',
    default: 262144,
    min: 1024,
    max: 16777216,
    levels: UP_TO_CONTEXT,
    help: 'Longest iCalendar or vCard property value other than inline binary data (bounded by max-resource-size), in characters.',
  },
  'davmesh.limits.maxInstances': {
    type: 'integer',
    default: 20000,
    min: 100,
    max: 10000000,
    levels: UP_TO_CONTEXT,
    help: 'CALDAV:max-instances: most recurrence instances a calendar object may have; a series with more is refused at PUT (403).',
  },
  'davmesh.limits.recurrenceSteps': {
    type: 'integer',
    default: 2000000,
    min: 10000,
    max: 1000000000,
    levels: UP_TO_CONTEXT,
    help: 'Most recurrence-rule iterations spent on one calendar object for one answer (expansion, time-range, free-busy); beyond it the request is refused with number-of-matches-within-limits.',
  },
  'davmesh.limits.maxAttendeesPerInstance': {
    type: 'integer',
    default: 1000,
    min: 1,
    max: 100000,
    levels: UP_TO_CONTEXT,
    help: 'CALDAV:max-attendees-per-instance: most ATTENDEEs in one component (an event or one of its instances) of a calendar object that scheduling reads; more is refused at PUT (403).',
  },
  'davmesh.limits.calendarDeleteMeetings': {
    type: 'integer',
    default: 500,
    min: 1,
    max: 100000,
    levels: UP_TO_CONTEXT,
    help: 'Most meetings (calendar objects with an ORGANIZER or ATTENDEE) one DELETE of a calendar cancels or declines, in the transaction that deletes it; a calendar holding more is refused (403 davmesh:max-scheduling-objects) and its owner deletes meetings first.',
  },
  'davmesh.limits.recurrenceMillis': {
    type: 'integer',
    default: 2000,
    min: 100,
    max: 600000,
    levels: UP_TO_CONTEXT,
    help: 'Most milliseconds of recurrence-rule work for one answer or one PUT (a rule that never yields, FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30, costs its full step budget otherwise); beyond it a PUT is refused with max-instances and a query with number-of-matches-within-limits.',
  },
  'davmesh.limits.queryResults': {
    type: 'integer',
    default: 10000,
    min: 10,
    max: 1000000,
    levels: UP_TO_CONTEXT,
    help: 'Most results one REPORT returns (matches, expanded instances, free-busy periods); more is answered 507 with number-of-matches-within-limits.',
  },
  'davmesh.limits.multigetHrefs': {
    type: 'integer',
    default: 1000,
    min: 10,
    max: 100000,
    levels: UP_TO_CONTEXT,
    help: 'Most hrefs in one calendar-multiget or addressbook-multiget; more is answered 403 with number-of-matches-within-limits.',
  },
  'davmesh.limits.freeBusyAttendees': {
    type: 'integer',
    default: 100,
    min: 1,
    max: 1000,
    levels: UP_TO_CONTEXT,
    help: 'Most ATTENDEEs in one free-busy request POSTed to the schedule outbox; more is answered 403 with number-of-matches-within-limits.',
  },
  'davmesh.limits.freeBusyDays': {
    type: 'integer',
    default: 366,
    min: 1,
    max: 3660,
    levels: UP_TO_CONTEXT,
    help: 'Longest range, in days, of one free-busy request POSTed to the schedule outbox; longer is answered 403 with number-of-matches-within-limits.',
  },
  'davmesh.limits.shareesPerCalendar': {
    type: 'integer',
    default: 100,
    min: 1,
    max: 10000,
    levels: UP_TO_CONTEXT,
    help: 'Most users one calendar may be shared with (calendarserver-sharing: invited, accepted and declined alike), and most CS:set and CS:remove in one CS:share POST; more is answered 403 with number-of-matches-within-limits.',
  },
  'davmesh.limits.notificationsPerUser': {
    type: 'integer',
    default: 500,
    min: 10,
    max: 100000,
    levels: UP_TO_CONTEXT,
    help: 'Most notifications (sharing invitations and replies) a user\'s notification collection keeps; a new one beyond it removes the oldest.',
  },
  'davmesh.scheduling.defaultEmailDomain': {
    type: 'domain',
    default: '',
    levels: SERVER_ONLY,
    help: 'Domain of the e-mail address the directory gives a user who has none: <login>@<domain> (a login that is an address is its own). It is their calendar user address (mailto: in calendar-user-address-set) and how free-busy finds them. Empty: users without an address have none.',
  },
  'davmesh.auth.failedLogins.perLogin': {
    type: 'integer',
    default: 10,
    min: 1,
    max: 1000000,
    levels: SERVER_ONLY,
    help: 'Failed logins allowed per login name within the window before further attempts are answered 429 with Retry-After.',
  },
  'davmesh.auth.failedLogins.perAddress': {
    type: 'integer',
    default: 50,
    min: 1,
    max: 1000000,
    levels: SERVER_ONLY,
    help: 'Failed logins allowed per client address within the window before further attempts from it are answered 429 with Retry-After.',
  },
  'davmesh.auth.failedLogins.windowSeconds': {
    type: 'integer',
    default: 300,
    min: 1,
    max: 86400,
    levels: SERVER_ONLY,
    help: 'Window over which failed logins are counted, in seconds; also the longest Retry-After.',
  },
} as const satisfies Record<string, ConfigKeyDefinition>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

export function isConfigKey(key: string): key is ConfigKey {
  return Object.prototype.hasOwnProperty.call(CONFIG_KEYS, key);
}
