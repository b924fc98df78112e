import { type IncomingMessage } from 'node:http';

export interface WriteConditions {
  /** The etag the stored resource must have. */
  ifMatch?: string;
  /** The resource must not exist. */
  ifNoneMatch?: boolean;
}

const REPRESENTATION = /;as=[a-z0-9]+"$/;

/**
 * The strong ETag of a converted representation (a vCard 3.0 served as 4.0): the stored tag
 * with the variant appended. The conversion is deterministic, so these bytes change exactly
 * when the stored ones do, and the tag never claims to name bytes it does not name.
 */
export function representationEtag(storedEtag: string, variant: string): string {
  return `${storedEtag.slice(0, -1)};as=${variant}"`;
}

/** A representation's tag in a condition stands for the stored resource's tag, which the service compares. */
function storedEtag(tag: string): string {
  return tag.replace(REPRESENTATION, '"');
}

/**
 * If-Match, If-None-Match: *, and RFC 4918's `If:` header with an etag condition, which
 * Thunderbird sends instead of If-Match. The service checks them in its transaction.
 */
export function writeConditions(request: IncomingMessage): WriteConditions {
  const conditions: WriteConditions = {};
  const ifMatch = request.headers['if-match'];
  if (typeof ifMatch === 'string' && ifMatch.trim() !== '*') conditions.ifMatch = storedEtag(ifMatch.split(',')[0].trim().replace(/^W\//, ''));
  const ifHeader = request.headers['if'];
  if (conditions.ifMatch === undefined && typeof ifHeader === 'string') {
    const etag = /\(\s*\[\s*("[^"]*")\s*\]\s*\)/.exec(ifHeader);
    if (etag) conditions.ifMatch = storedEtag(etag[1]);
  }
  if (String(request.headers['if-none-match'] ?? '').trim() === '*') conditions.ifNoneMatch = true;
  return conditions;
}
