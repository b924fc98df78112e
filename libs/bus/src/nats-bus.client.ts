import { randomUUID } from 'node:crypto';
import { fail, type EventContract, type Reply, type RequestContract } from '@davmesh/contracts';
import { createInbox, ErrorCode, headers, type MsgHdrs, type NatsConnection, type NatsError } from 'nats';
import { BusClient, DEFAULT_REQUEST_TIMEOUT_MS, ReplyCollector, replyFromPacket, type GatherOptions, type RequestOptions } from './bus-client';
import { askTwice, type Attempt } from './idempotent-retry';
import { DEFAULT_MAX_PAYLOAD, requestTooLarge } from './reply-budget';
import { outgoingRequestId, REQUEST_ID_HEADER } from './request-id';
import { WRITE_KEY_HEADER } from './write-key';
import { askUntilKnown } from './write-retry';
import { type NatsSecurity } from './nats-security';
import { SharedNatsConnection } from './shared-nats-connection';
import { encodePacket, prefixed } from './wire';

export class NatsBusClient extends BusClient {
  private constructor(
    private readonly connection: NatsConnection,
    private readonly prefix: string,
    /** Set when this client opened its connection (and so closes it). */
    private readonly own?: SharedNatsConnection,
  ) {
    super();
  }

  /** A client on a connection of its own, closed by `close()`. */
  static async connect(servers: string, prefix: string, name: string, security?: NatsSecurity): Promise<NatsBusClient> {
    const own = new SharedNatsConnection(servers, name, security);
    return new NatsBusClient(await own.connection(), prefix, own);
  }

  /** A client on the process's shared connection: `close()` leaves it to its owner. */
  static async over(shared: SharedNatsConnection, prefix: string): Promise<NatsBusClient> {
    return new NatsBusClient(await shared.connection(), prefix);
  }

  async request<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, options?: RequestOptions): Promise<Reply<Res>> {
    const budgetMs = options?.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    let outcome: Attempt<Res>;
    if (contract.idempotent) {
      outcome = await askTwice(budgetMs, (timeoutMs) => this.attempt(contract, payload, timeoutMs));
    } else {
      const writeKey = randomUUID();
      outcome = await askUntilKnown(budgetMs, (timeoutMs) => this.attempt(contract, payload, timeoutMs, writeKey));
    }
    if ('reply' in outcome) return outcome.reply;
    if (outcome.noAnswer === 'no-responders') return fail('unavailable', `no ${contract.service} service is answering`);
    if (outcome.noAnswer === 'timeout') return fail('unavailable', `the ${contract.service} service did not answer in time`);
    return fail('unavailable', `bus error on ${contract.subject}: ${outcome.message}`);
  }

  private async attempt<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, timeoutMs: number, writeKey?: string): Promise<Attempt<Res>> {
    const subject = prefixed(this.prefix, contract.subject);
    try {
      const message = await this.connection.request(subject, encodePacket({ pattern: contract.subject, data: payload, id: randomUUID() }), { timeout: timeoutMs, headers: messageHeaders(writeKey) });
      return { reply: replyFromPacket<Res>(message.data, contract.subject) };
    } catch (error) {
      const code = (error as NatsError).code;
      if (code === ErrorCode.MaxPayloadExceeded) return { reply: requestTooLarge(contract.subject, this.maxPayload()) };
      const noAnswer = code === ErrorCode.NoResponders ? 'no-responders' : code === ErrorCode.Timeout ? 'timeout' : 'error';
      return { noAnswer, message: (error as Error).message };
    }
  }

  async gather<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, options: GatherOptions<Res>): Promise<Res[]> {
    const inbox = createInbox();
    let unsubscribe = () => {};
    const collector = new ReplyCollector<Res>(contract.subject, options, () => unsubscribe());
    try {
      const subscription = this.connection.subscribe(inbox, {
        callback: (error, message) => {
          const noResponders = message?.data.length === 0 && message.headers?.status === ErrorCode.NoResponders;
          if (error || noResponders) collector.finish();
          else collector.add(message.data);
        },
      });
      unsubscribe = () => subscription.unsubscribe();
      this.connection.publish(prefixed(this.prefix, contract.subject), encodePacket({ pattern: contract.subject, data: payload, id: randomUUID() }), {
        reply: inbox,
        headers: messageHeaders(),
      });
      collector.sent();
    } catch {
      // A closed or draining connection: nobody can answer.
      collector.finish();
    }
    return collector.done;
  }

  async emit<P>(contract: EventContract<P>, payload: P): Promise<void> {
    this.connection.publish(prefixed(this.prefix, contract.subject), encodePacket({ pattern: contract.subject, data: payload }));
    await this.connection.flush();
  }

  maxPayload(): number {
    return this.connection.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
  }

  async close(): Promise<void> {
    await this.own?.close();
  }
}

/** The write key and the request id a request goes out with, if any. */
function messageHeaders(writeKey?: string): MsgHdrs | undefined {
  const requestId = outgoingRequestId();
  if (!writeKey && !requestId) return undefined;
  const set = headers();
  if (writeKey) set.set(WRITE_KEY_HEADER, writeKey);
  if (requestId) set.set(REQUEST_ID_HEADER, requestId);
  return set;
}
