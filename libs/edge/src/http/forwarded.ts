import { type IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Whether the hop at `address` (0: the socket peer) is a trusted reverse proxy (proxy-addr's trust function). */
export type TrustProxy = (address: string, hop: number) => boolean;

/** davmesh.http.trustedProxies compiled; the empty list trusts nobody. */
export function compileTrustedProxies(list: string): TrustProxy {
  return proxyaddr.compile(list.split(',').map((a) => a.trim()).filter(Boolean));
}

/** The client as it reached the first trusted proxy: its address, and the scheme it used. */
export interface ClientView {
  address: string;
  proto: 'http' | 'https';
}

/** A Host value: a name, IPv4 or bracketed IPv6, and an optional port. */
const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$/;

/**
 * Believes X-Forwarded-For (the nearest untrusted hop is the client, as proxy-addr walks it),
 * X-Forwarded-Proto and X-Forwarded-Host only when the socket peer is trusted. A trusted
 * X-Forwarded-Host replaces the Host header in place, so every later check of "this server"
 * (MOVE's Destination, If: tags) sees the host the client asked for.
 */
export function clientView(request: IncomingMessage, trust: TrustProxy): ClientView {
  const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
  let proto: ClientView['proto'] = encrypted ? 'https' : 'http';
  const peer = request.socket.remoteAddress ?? '';
  if (peer && trust(peer, 0)) {
    const forwardedProto = firstValue(request.headers['x-forwarded-proto'])?.toLowerCase();
    if (forwardedProto === 'http' || forwardedProto === 'https') proto = forwardedProto;
    const forwardedHost = firstValue(request.headers['x-forwarded-host']);
    if (forwardedHost && HOST.test(forwardedHost)) request.headers.host = forwardedHost;
  }
  const address = peer ? proxyaddr(request, trust) : 'unknown';
  return { address: address.replace(/^::ffff:(?=\d+\.)/, ''), proto };
}

/** The first of a comma-separated header's values: the one the outermost proxy wrote. */
function firstValue(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  const first = text?.split(',')[0].trim();
  return first || undefined;
}
