/**
 * Every bus reply is a value: success with data, or a domain error keyed on `code`.
 * The edge owns the one table that maps codes to HTTP status and DAV conditions.
 */
export const DOMAIN_ERROR_CODES = [
  'bad-request',
  'unauthenticated',
  'forbidden',
  'not-found',
  'conflict',
  'precondition-failed',
  'unavailable',
  /** The answer, or the request, is more than one bus message may carry (docs/bus-api.md, Reply size). */
  'too-large',
  'internal',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export interface DomainError {
  code: DomainErrorCode;
  message: string;
  /** Machine-readable extras, e.g. the field that failed validation. */
  details?: Record<string, unknown>;
}

export type Reply<T> = { ok: true; data: T } | { ok: false; error: DomainError };

export function ok<T>(data: T): Reply<T> {
  return { ok: true, data };
}

export function fail<T = never>(code: DomainErrorCode, message: string, details?: Record<string, unknown>): Reply<T> {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

/** Thrown inside a service, turned into a `{ ok: false }` reply by the bus handler wrapper. */
export class DomainException extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainException';
  }

  toError(): DomainError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const candidate = value as { ok: unknown; error?: { code?: unknown } };
  if (candidate.ok === true) return 'data' in candidate;
  return candidate.ok === false && typeof candidate.error?.code === 'string';
}
