import { type IncomingMessage } from 'node:http';
import { DavHttpError } from './dav-exchange';

const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)(.*)$/;

/**
 * RFC 9112 3.2.2: a request target in absolute form (`GET http://host/dav/ HTTP/1.1`)
 * is served like its path, and its authority replaces the Host header. Rewrites the
 * request in place so every handler sees the origin form.
 */
export function toOriginForm(request: IncomingMessage): void {
  const absolute = ABSOLUTE_FORM.exec(request.url ?? '');
  if (!absolute) return;
  const [, authority, rest] = absolute;
  const userinfoEnd = authority.lastIndexOf('@');
  request.headers.host = authority.slice(userinfoEnd + 1);
  request.url = rest.startsWith('/') ? rest : `/${rest}`;
}

/** A path whose %-escapes do not decode (`%zz`, a cut UTF-8 sequence) is a malformed request, not a missing resource. */
export function assertDecodablePath(url: string): void {
  try {
    decodeURIComponent(url.split('?')[0]);
  } catch {
    throw new DavHttpError(400, 'malformed percent-encoding in the request target');
  }
}
