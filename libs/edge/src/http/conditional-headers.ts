import { type IncomingMessage } from 'node:http';

export interface WriteConditions {
  /** The etag the stored resource must have. */
  ifMatch?: string;
  /** The resource must not exist. */
  ifNoneMatch?: boolean;
}

/**
 * If-Match, If-None-Match: *, and RFC 4918's `If:` header with an etag condition, which
 * Thunderbird sends instead of If-Match. The service checks them in its transaction.
 */
export function writeConditions(request: IncomingMessage): WriteConditions {
  const conditions: WriteConditions = {};
  const ifMatch = request.headers['if-match'];
  if (typeof ifMatch === 'string' && ifMatch.trim() !== '*') conditions.ifMatch = ifMatch.split(',')[0].trim().replace(/^W\//, '');
  const ifHeader = request.headers['if'];
  if (conditions.ifMatch === undefined && typeof ifHeader === 'string') {
    const etag = /\(\s*\[\s*("[^"]*")\s*\]\s*\)/.exec(ifHeader);
    if (etag) conditions.ifMatch = etag[1];
  }
  if (String(request.headers['if-none-match'] ?? '').trim() === '*') conditions.ifNoneMatch = true;
  return conditions;
}
