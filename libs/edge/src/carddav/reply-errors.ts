import { type DomainError, type Reply } from '@davmesh/contracts';
import { carddav, dav, el, renderDocument, type QName } from '@davmesh/dav';
import { DavHttpError } from '../http/dav-exchange';
import { STATUS_FOR_ERROR } from '../http/error-status';

/** `details.condition` of a domain error → the status and precondition element the client sees. */
const CONDITIONS: Record<string, { status: number; name: QName }> = {
  'need-privileges': { status: 403, name: dav('need-privileges') },
  'valid-address-data': { status: 403, name: carddav('valid-address-data') },
  'supported-address-data': { status: 403, name: carddav('supported-address-data') },
  'max-resource-size': { status: 403, name: carddav('max-resource-size') },
  'no-uid-conflict': { status: 409, name: carddav('no-uid-conflict') },
  'valid-sync-token': { status: 403, name: dav('valid-sync-token') },
};

/** Turns a refused bus reply into the HTTP answer; `hrefOf` names a conflicting resource for no-uid-conflict. */
export function errorFromReply(error: DomainError, hrefOf?: (folderId: number, name: string) => string | undefined): DavHttpError {
  const condition = typeof error.details?.['condition'] === 'string' ? CONDITIONS[error.details['condition']] : undefined;
  if (!condition) return new DavHttpError(STATUS_FOR_ERROR[error.code], error.message);
  const { folderId, name } = error.details ?? {};
  const href = typeof folderId === 'number' && typeof name === 'string' ? hrefOf?.(folderId, name) : undefined;
  const body = renderDocument(el(dav('error'), [el(condition.name, href ? [el(dav('href'), href)] : undefined)]));
  return new DavHttpError(condition.status, error.message, body);
}

export function unwrap<T>(reply: Reply<T>, hrefOf?: (folderId: number, name: string) => string | undefined): T {
  if (!reply.ok) throw errorFromReply(reply.error, hrefOf);
  return reply.data;
}

export function preconditionError(status: number, name: QName): DavHttpError {
  return new DavHttpError(status, `precondition ${name.local} failed`, renderDocument(el(dav('error'), [el(name)])));
}
