import { isReply, type EventContract, type Reply, type RequestContract } from '@davmesh/contracts';
import { BusClient, type GatherOptions, type RequestOptions } from './bus-client';
import { type ReplyBudget } from './reply-budget';

/**
 * Where a process counts its bus requests. `subject` is always a contract's subject (a fixed
 * list in the code, never a prefixed or user-made one); `outcome` is `ok` or the Reply's error
 * code (for a handler that threw, `error`; for a gather, `ok` when any instance answered).
 */
export interface BusMetrics {
  clientRequest(subject: string, outcome: string, seconds: number): void;
  serverRequest(subject: string, outcome: string, seconds: number): void;
}

function outcomeOf(reply: unknown): string {
  if (!isReply(reply)) return 'error';
  return reply.ok ? 'ok' : reply.error.code;
}

function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A bus client that counts and times each request it makes. */
export class MeteredBusClient extends BusClient {
  constructor(
    private readonly inner: BusClient,
    private readonly metrics: BusMetrics,
  ) {
    super();
  }

  async request<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, options?: RequestOptions): Promise<Reply<Res>> {
    const start = process.hrtime.bigint();
    const reply = await this.inner.request(contract, payload, options);
    this.metrics.clientRequest(contract.subject, outcomeOf(reply), secondsSince(start));
    return reply;
  }

  async gather<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, options: GatherOptions<Res>): Promise<Res[]> {
    const start = process.hrtime.bigint();
    const replies = await this.inner.gather(contract, payload, options);
    this.metrics.clientRequest(contract.subject, replies.length > 0 ? 'ok' : 'no-reply', secondsSince(start));
    return replies;
  }

  emit<P>(contract: EventContract<P>, payload: P): Promise<void> {
    return this.inner.emit(contract, payload);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  maxPayload(): number {
    return this.inner.maxPayload();
  }

  override replyBudget(): ReplyBudget {
    return this.inner.replyBudget();
  }
}

/**
 * Counts and times one request a service's handler answers, from its arrival until the first
 * reply packet that carries its answer (a Reply, or a handler's error). The transport servers
 * call it, on the handler's own subject only, so a message on an unknown subject never makes a
 * label; done in the transport rather than as a Nest interceptor, whose chain cost every request
 * an AsyncResource and an rxjs pipe.
 */
export function serverRequestTimer(metrics: BusMetrics | undefined, subject: string): (packet: { response?: unknown; err?: unknown }) => void {
  if (!metrics) return () => undefined;
  const start = process.hrtime.bigint();
  let counted = false;
  return (packet) => {
    if (counted || (packet.response === undefined && packet.err === undefined)) return;
    counted = true;
    metrics.serverRequest(subject, packet.err !== undefined ? 'error' : outcomeOf(packet.response), secondsSince(start));
  };
}
