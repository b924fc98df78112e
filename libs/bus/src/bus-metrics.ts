import { type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { PATTERN_HANDLER_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { PatternHandler } from '@nestjs/microservices/enums/pattern-handler.enum';
import { isReply, type EventContract, type Reply, type RequestContract } from '@davmesh/contracts';
import { type Observable, tap } from 'rxjs';
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
 * Counts and times each request a service's handlers answer (events are not requests). Set it
 * as a global interceptor of a Nest microservice; the subject comes from the handler's
 * decorator, so a message on an unknown subject never makes a label.
 */
export class BusServerMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: BusMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const handler = context.getHandler();
    const patterns = Reflect.getMetadata(PATTERN_METADATA, handler) as unknown[] | undefined;
    const subject = patterns?.[0];
    if (context.getType() !== 'rpc' || Reflect.getMetadata(PATTERN_HANDLER_METADATA, handler) !== PatternHandler.MESSAGE || typeof subject !== 'string') {
      return next.handle();
    }
    const start = process.hrtime.bigint();
    return next.handle().pipe(
      tap({
        next: (reply) => this.metrics.serverRequest(subject, outcomeOf(reply), secondsSince(start)),
        error: () => this.metrics.serverRequest(subject, 'error', secondsSince(start)),
      }),
    );
  }
}
