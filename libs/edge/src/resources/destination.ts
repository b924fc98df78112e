import { type IncomingMessage } from 'node:http';
import { DavHttpError } from '../http/dav-exchange';
import { resolveResource, type Resource } from './resource';

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * The resource a MOVE's Destination header names, or undefined when it names none of ours.
 * A path, or an absolute URI on this server (the request's host and port; the scheme may
 * differ behind a TLS proxy). An absolute URI on another server is answered 502
 * (RFC 4918 9.9.4): this server cannot move anything there; so is one that is not HTTP.
 */
export function resolveDestination(request: IncomingMessage, prefix: string, proxyPrefix?: string): Resource | undefined {
  const header = String(request.headers['destination'] ?? '').trim();
  if (header === '') throw new DavHttpError(400, 'MOVE needs a Destination header');
  return resolveResource(localPath(header, request.headers.host), prefix, proxyPrefix);
}

/** The path (and query) a Destination or an If: resource tag names: a path, or an absolute URI on this server. */
export function localPath(reference: string, hostHeader: string | undefined): string {
  if (reference.startsWith('/')) return reference;
  let url: URL;
  try {
    url = new URL(reference);
  } catch {
    throw new DavHttpError(400, `${reference} is not a URI`);
  }
  if (!DEFAULT_PORTS[url.protocol]) throw new DavHttpError(502, `${reference} is not an HTTP URI`);
  if (!sameServer(url, hostHeader)) throw new DavHttpError(502, `${reference} is on another server`);
  return `${url.pathname}${url.search}`;
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
