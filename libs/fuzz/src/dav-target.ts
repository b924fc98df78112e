import { Agent } from 'node:http';
import { exchange, type HttpAnswer, type RawRequest } from './http-exchange';

/** The server under test as the fuzzer reaches it: origin, a keep-alive agent, the per-request bounds. */
export class DavTarget {
  readonly origin: URL;
  readonly agent: Agent;

  constructor(
    url: string,
    /** A response slower than this breaks the time invariant. */
    readonly boundMs: number,
    /** No answer after this long is a hang; the request is abandoned. */
    readonly hangMs: number,
    sockets: number,
  ) {
    this.origin = new URL(url);
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  send(raw: RawRequest): Promise<HttpAnswer> {
    return exchange(this.agent, this.origin, raw, this.hangMs);
  }

  close(): void {
    this.agent.destroy();
  }
}
