import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** Where the edge's process counts its HTTP requests (`davmesh_http_requests_total` and the latency histogram). */
export interface EdgeRequestRecorder {
  /** `kind`: the resource kind the path named (`none` when it named none); `status`: the code sent, or `aborted`. */
  httpRequest(method: string, kind: string, status: string, seconds: number): void;
}

/**
 * Times every request the server takes and records it once its response is over, sent or cut.
 * The labels stay bounded: Node's parser refuses methods outside its fixed list, kinds are the
 * resolver's, statuses are HTTP's.
 */
export function observeRequests(server: Server, kindOf: (request: IncomingMessage) => string | undefined, recorder: EdgeRequestRecorder): void {
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const start = process.hrtime.bigint();
    response.once('close', () => {
      const status = response.writableFinished ? String(response.statusCode) : 'aborted';
      recorder.httpRequest(request.method ?? 'GET', kindOf(request) ?? 'none', status, Number(process.hrtime.bigint() - start) / 1e9);
    });
  });
}
