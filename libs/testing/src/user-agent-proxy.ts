import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface UserAgentProxy {
  /** Point the client here instead of at the server. */
  url: string;
  /** `METHOD path user-agent` of every request that went through, in order. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of a server that records what each request told the server
 * about its user agent, so a test can check that a client library really sends the one it was
 * given (and on every request, discovery included). Absolute redirects are pointed back at the proxy.
 */
export async function userAgentProxy(target: string): Promise<UserAgentProxy> {
  const origin = new URL(target);
  const seen: string[] = [];
  let self = '';
  const server = createServer((incoming, outgoing) => {
    seen.push(`${incoming.method} ${incoming.url} ${incoming.headers['user-agent'] ?? '(none)'}`);
    const upstream = request(
      { host: origin.hostname, port: origin.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: origin.host } },
      (answer) => {
        const headers: IncomingHttpHeaders = { ...answer.headers };
        if (typeof headers.location === 'string') headers.location = headers.location.replace(origin.origin, self);
        outgoing.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: self,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
