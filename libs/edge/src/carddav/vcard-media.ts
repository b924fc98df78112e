import { type IncomingMessage } from 'node:http';
import { type VCardVersion } from '@davmesh/vcard';

/** Advertised as CARDDAV:max-resource-size; the contacts service refuses larger vCards. */
export const MAX_VCARD_BYTES = 256 * 1024;

/** The vCard version asked for by `Accept: text/vcard; version=4.0`, if any. */
export function acceptedVersion(request: IncomingMessage): VCardVersion | undefined {
  const accept = String(request.headers['accept'] ?? '');
  const match = /text\/vcard[^,]*;\s*version\s*=\s*"?([34]\.0)/i.exec(accept);
  return match ? (match[1] as VCardVersion) : undefined;
}

/** Whether a PUT's Content-Type may carry a vCard (RFC 6352 6.3.2.1 supported-address-data). */
export function isVCardMediaType(request: IncomingMessage): boolean {
  const type = String(request.headers['content-type'] ?? 'text/vcard').split(';')[0].trim().toLowerCase();
  return type === 'text/vcard' || type === 'text/x-vcard' || type === 'text/directory';
}
