import { type DomainError, type Reply } from '@davmesh/contracts';
import { caldav, calserver, carddav, dav, davmesh, el, encodeHref, renderDocument, type QName } from '@davmesh/dav';
import { DavHttpError } from './dav-exchange';
import { STATUS_FOR_ERROR } from './error-status';

/** The protocol a request speaks: conditions both RFC 6352 and RFC 4791 define take its namespace. */
export type DavProtocol = 'carddav' | 'caldav';

const PROTOCOL_NAME: Record<DavProtocol, (local: string) => QName> = { carddav, caldav };

/** The conditions a service names in a refusal (`details.condition`), by the element's local name. */
export enum ServiceCondition {
  NeedPrivileges = 'need-privileges',
  ValidSyncToken = 'valid-sync-token',
  ValidAddressData = 'valid-address-data',
  SupportedAddressData = 'supported-address-data',
  ValidCalendarData = 'valid-calendar-data',
  ValidCalendarObjectResource = 'valid-calendar-object-resource',
  SupportedCalendarComponent = 'supported-calendar-component',
  SupportedCalendarData = 'supported-calendar-data',
  MinDateTime = 'min-date-time',
  MaxDateTime = 'max-date-time',
  MaxInstances = 'max-instances',
  NumberOfMatchesWithinLimits = 'number-of-matches-within-limits',
  MaxResourceSize = 'max-resource-size',
  NoUidConflict = 'no-uid-conflict',
  ValidSchedulingMessage = 'valid-scheduling-message',
  ValidScheduleDefaultCalendarUrl = 'valid-schedule-default-calendar-URL',
  // Implicit scheduling (RFC 6638 3.2.4, RFC 4791 5.3.2.1; libs/itip's SchedulingRefused).
  MaxAttendeesPerInstance = 'max-attendees-per-instance',
  SameOrganizerInAllComponents = 'same-organizer-in-all-components',
  ValidOrganizer = 'valid-organizer',
  AllowedAttendeeSchedulingObjectChange = 'allowed-attendee-scheduling-object-change',
  UniqueSchedulingObjectResource = 'unique-scheduling-object-resource',
  MaxSchedulingMessages = 'max-scheduling-messages',
  MaxSchedulingObjects = 'max-scheduling-objects',
  // calendarserver-sharing: a reply to no invitation of the user's.
  InvalidShare = 'invalid-share',
}

/**
 * Each condition → the status and precondition element the client sees; `protocol` marks the
 * ones named alike in CardDAV and CalDAV.
 */
const CONDITIONS: Record<ServiceCondition, { status: number; ns: 'dav' | 'carddav' | 'caldav' | 'calserver' | 'davmesh' | 'protocol' }> = {
  [ServiceCondition.NeedPrivileges]: { status: 403, ns: 'dav' },
  [ServiceCondition.ValidSyncToken]: { status: 403, ns: 'dav' },
  [ServiceCondition.ValidAddressData]: { status: 403, ns: 'carddav' },
  [ServiceCondition.SupportedAddressData]: { status: 403, ns: 'carddav' },
  [ServiceCondition.ValidCalendarData]: { status: 403, ns: 'caldav' },
  [ServiceCondition.ValidCalendarObjectResource]: { status: 403, ns: 'caldav' },
  [ServiceCondition.SupportedCalendarComponent]: { status: 403, ns: 'caldav' },
  [ServiceCondition.SupportedCalendarData]: { status: 403, ns: 'caldav' },
  [ServiceCondition.MinDateTime]: { status: 403, ns: 'caldav' },
  [ServiceCondition.MaxDateTime]: { status: 403, ns: 'caldav' },
  [ServiceCondition.MaxInstances]: { status: 403, ns: 'caldav' },
  [ServiceCondition.NumberOfMatchesWithinLimits]: { status: 507, ns: 'dav' },
  [ServiceCondition.MaxResourceSize]: { status: 403, ns: 'protocol' },
  [ServiceCondition.NoUidConflict]: { status: 409, ns: 'protocol' },
  [ServiceCondition.ValidSchedulingMessage]: { status: 403, ns: 'caldav' },
  [ServiceCondition.ValidScheduleDefaultCalendarUrl]: { status: 403, ns: 'caldav' },
  [ServiceCondition.MaxAttendeesPerInstance]: { status: 403, ns: 'caldav' },
  [ServiceCondition.SameOrganizerInAllComponents]: { status: 403, ns: 'caldav' },
  [ServiceCondition.ValidOrganizer]: { status: 403, ns: 'caldav' },
  [ServiceCondition.AllowedAttendeeSchedulingObjectChange]: { status: 403, ns: 'caldav' },
  [ServiceCondition.UniqueSchedulingObjectResource]: { status: 403, ns: 'caldav' },
  [ServiceCondition.MaxSchedulingMessages]: { status: 403, ns: 'davmesh' },
  [ServiceCondition.MaxSchedulingObjects]: { status: 403, ns: 'davmesh' },
  [ServiceCondition.InvalidShare]: { status: 403, ns: 'calserver' },
};

const KNOWN_CONDITIONS = new Set<string>(Object.values(ServiceCondition));

function serviceCondition(details: DomainError['details']): ServiceCondition | undefined {
  const key = details?.['condition'];
  return typeof key === 'string' && KNOWN_CONDITIONS.has(key) ? (key as ServiceCondition) : undefined;
}

function conditionName(condition: ServiceCondition, protocol: DavProtocol): QName {
  const { ns } = CONDITIONS[condition];
  if (ns === 'dav') return dav(condition);
  if (ns === 'davmesh') return davmesh(condition);
  if (ns === 'calserver') return calserver(condition);
  return PROTOCOL_NAME[ns === 'protocol' ? protocol : ns](condition);
}

/** Turns a refused bus reply into the HTTP answer; `hrefOf` names a conflicting resource for no-uid-conflict. */
export function errorFromReply(
  error: DomainError,
  hrefOf?: (folderId: number, name: string) => string | undefined,
  protocol: DavProtocol = 'carddav',
): DavHttpError {
  const condition = serviceCondition(error.details);
  if (condition === undefined) return new DavHttpError(STATUS_FOR_ERROR[error.code], error.message);
  const { folderId, name } = error.details ?? {};
  const href = typeof folderId === 'number' && typeof name === 'string' ? hrefOf?.(folderId, name) : undefined;
  const body = renderDocument(el(dav('error'), [el(conditionName(condition, protocol), href ? [el(dav('href'), encodeHref(href))] : undefined)]));
  return new DavHttpError(CONDITIONS[condition].status, error.message, body);
}

export function unwrap<T>(reply: Reply<T>, hrefOf?: (folderId: number, name: string) => string | undefined, protocol: DavProtocol = 'carddav'): T {
  if (!reply.ok) throw errorFromReply(reply.error, hrefOf, protocol);
  return reply.data;
}

export function preconditionError(status: number, name: QName): DavHttpError {
  return new DavHttpError(status, `precondition ${name.local} failed`, renderDocument(el(dav('error'), [el(name)])));
}
