import { type DomainErrorCode } from '@davmesh/contracts';

/** The one table from domain error codes to HTTP status. */
export const STATUS_FOR_ERROR: Record<DomainErrorCode, number> = {
  'bad-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'precondition-failed': 412,
  unavailable: 503,
  // RFC 4918 11.5: the server cannot hold the representation the answer needs (one bus message).
  'too-large': 507,
  internal: 500,
};
