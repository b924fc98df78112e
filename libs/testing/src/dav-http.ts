import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { Agent as TlsAgent, request as tlsRequest } from 'node:https';

export interface DavHttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** An answer with its body as received, for callers that may not need it as text. */
export interface DavHttpBytes {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface DavHttpOptions {
  /** A keep-alive agent of the caller's; by default one per scheme shared by the process. */
  agent?: Agent;
  headers?: Record<string, string>;
  /** No answer within this time fails the request. */
  timeoutMs?: number;
  /** Told when a kept-alive connection the server had closed was reused, and the request sent again. */
  onResend?: () => void;
}

/**
 * Keeps connections open across requests of every method, as DAV clients do (Node's fetch
 * opens a new connection after each REPORT, which would time TCP setup instead of the server).
 */
const sharedAgents = { http: new Agent({ keepAlive: true }), https: new TlsAgent({ keepAlive: true }) };

/** One DAV request over a kept-alive connection, its body as XML unless `headers` say otherwise. */
export async function davHttp(url: string, method: string, body: string | undefined, options: DavHttpOptions = {}): Promise<DavHttpAnswer> {
  const answer = await davHttpBytes(url, method, body, options);
  return { status: answer.status, headers: answer.headers, text: answer.body.toString('utf8') };
}

/** `davHttp` with the answer's body left as bytes. */
export function davHttpBytes(url: string, method: string, body: string | undefined, options: DavHttpOptions = {}, resend = true): Promise<DavHttpBytes> {
  return new Promise((resolve, reject) => {
    const tls = url.startsWith('https:');
    const outgoing = (tls ? tlsRequest : request)(
      url,
      {
        method,
        agent: options.agent ?? (tls ? sharedAgents.https : sharedAgents.http),
        timeout: options.timeoutMs,
        headers: {
          'Content-Type': 'application/xml; charset=utf-8',
          ...(body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      // The server closed a kept-alive connection as it was reused, before reading the request: Node documents
      // sending it again (a PUT that did arrive after all then gets 412, which the caller can see).
      if (resend && outgoing.reusedSocket && error.code === 'ECONNRESET') {
        options.onResend?.();
        davHttpBytes(url, method, body, options, false).then(resolve, reject);
      } else reject(outgoing.reusedSocket ? new Error(`${error.message} (on a kept-alive connection)`) : error);
    });
    outgoing.end(body);
  });
}
