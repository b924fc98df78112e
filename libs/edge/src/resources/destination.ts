import { type IncomingMessage } from 'node:http';
import { DavHttpError } from '../http/dav-exchange';
import { resolveResource, type Resource } from './resource';

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * The resource a MOVE's Destination header names, or undefined when it names none of ours.
 * A path, or an absolute URI on this server (the request's host and port; the scheme may
 * differ behind a TLS proxy). An absolute URI on another server is answered 502
 * (RFC 4918 9.9.4): this server cannot move anything there.
 */
export function resolveDestination(request: IncomingMessage, prefix: string, proxyPrefix?: string): Resource | undefined {
  const header = String(request.headers['destination'] ?? '').trim();
  if (header === '') throw new DavHttpError(400, 'MOVE needs a Destination header');
  if (header.startsWith('/')) return resolveResource(header, prefix, proxyPrefix);
  let destination: URL;
  try {
    destination = new URL(header);
  } catch {
    throw new DavHttpError(400, 'the Destination header is not a URI');
  }
  if (!DEFAULT_PORTS[destination.protocol]) throw new DavHttpError(502, 'the Destination is not an HTTP URI');
  if (!sameServer(destination, request.headers.host)) throw new DavHttpError(502, 'the Destination is on another server');
  return resolveResource(`${destination.pathname}${destination.search}`, prefix, proxyPrefix);
}

/**
 * Same host name and port as the Host header. A Host without a port matches a Destination
 * on its scheme's default port, whatever the scheme.
 */
function sameServer(destination: URL, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname;
  } catch {
    return false;
  }
  if (hostname.toLowerCase() !== destination.hostname.toLowerCase()) return false;
  const hostPort = /:(\d+)$/.exec(hostHeader)?.[1];
  if (hostPort === undefined) return destination.port === '';
  return Number(hostPort) === Number(destination.port || DEFAULT_PORTS[destination.protocol]);
}
