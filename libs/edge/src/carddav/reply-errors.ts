import { type DomainError, type Reply } from '@davmesh/contracts';
import { caldav, carddav, dav, el, encodeHref, renderDocument, type QName } from '@davmesh/dav';
import { DavHttpError } from '../http/dav-exchange';
import { STATUS_FOR_ERROR } from '../http/error-status';

/** The protocol a request speaks: conditions both RFC 6352 and RFC 4791 define take its namespace. */
export type DavProtocol = 'carddav' | 'caldav';

const PROTOCOL_NAME: Record<DavProtocol, (local: string) => QName> = { carddav, caldav };

/**
 * `details.condition` of a domain error → the status and precondition element the client sees;
 * `protocol` marks the ones named alike in CardDAV and CalDAV.
 */
const CONDITIONS: Record<string, { status: number; ns: 'dav' | 'carddav' | 'caldav' | 'protocol' }> = {
  'need-privileges': { status: 403, ns: 'dav' },
  'valid-sync-token': { status: 403, ns: 'dav' },
  'valid-address-data': { status: 403, ns: 'carddav' },
  'supported-address-data': { status: 403, ns: 'carddav' },
  'valid-calendar-data': { status: 403, ns: 'caldav' },
  'valid-calendar-object-resource': { status: 403, ns: 'caldav' },
  'supported-calendar-component': { status: 403, ns: 'caldav' },
  'supported-calendar-data': { status: 403, ns: 'caldav' },
  'min-date-time': { status: 403, ns: 'caldav' },
  'max-date-time': { status: 403, ns: 'caldav' },
  'max-instances': { status: 403, ns: 'caldav' },
  'number-of-matches-within-limits': { status: 507, ns: 'dav' },
  'max-resource-size': { status: 403, ns: 'protocol' },
  'no-uid-conflict': { status: 409, ns: 'protocol' },
};

function conditionName(condition: string, ns: (typeof CONDITIONS)[string]['ns'], protocol: DavProtocol): QName {
  if (ns === 'dav') return dav(condition);
  return PROTOCOL_NAME[ns === 'protocol' ? protocol : ns](condition);
}

/** Turns a refused bus reply into the HTTP answer; `hrefOf` names a conflicting resource for no-uid-conflict. */
export function errorFromReply(
  error: DomainError,
  hrefOf?: (folderId: number, name: string) => string | undefined,
  protocol: DavProtocol = 'carddav',
): DavHttpError {
  const key = typeof error.details?.['condition'] === 'string' ? error.details['condition'] : undefined;
  const condition = key === undefined ? undefined : CONDITIONS[key];
  if (!key || !condition) return new DavHttpError(STATUS_FOR_ERROR[error.code], error.message);
  const { folderId, name } = error.details ?? {};
  const href = typeof folderId === 'number' && typeof name === 'string' ? hrefOf?.(folderId, name) : undefined;
  const body = renderDocument(el(dav('error'), [el(conditionName(key, condition.ns, protocol), href ? [el(dav('href'), encodeHref(href))] : undefined)]));
  return new DavHttpError(condition.status, error.message, body);
}

export function unwrap<T>(reply: Reply<T>, hrefOf?: (folderId: number, name: string) => string | undefined, protocol: DavProtocol = 'carddav'): T {
  if (!reply.ok) throw errorFromReply(reply.error, hrefOf, protocol);
  return reply.data;
}

export function preconditionError(status: number, name: QName): DavHttpError {
  return new DavHttpError(status, `precondition ${name.local} failed`, renderDocument(el(dav('error'), [el(name)])));
}
