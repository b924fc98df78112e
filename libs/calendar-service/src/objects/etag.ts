import { createHash } from 'node:crypto';

/** A strong ETag: a hash of the stored bytes, so the same body always has the same tag. */
export function etagOf(body: string): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 32);
}
