import {
  DomainException,
  fail,
  isReply,
  type EventContract,
  type Reply,
  type RequestContract,
} from '@davmesh/contracts';
import { ReplyBudget } from './reply-budget';
import { decodeReplyPacket, type ReplyPacket } from './wire';

export interface RequestOptions {
  timeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

export interface GatherOptions<Res> {
  /** How long to collect replies at most. */
  maxWaitMs: number;
  /** Stop collecting as soon as the replies so far are enough. */
  enough?: (replies: Res[]) => boolean;
}

/** What every caller of the bus holds: typed requests that always resolve to a Reply, and events. */
export abstract class BusClient {
  abstract request<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, options?: RequestOptions): Promise<Reply<Res>>;
  abstract emit<P>(contract: EventContract<P>, payload: P): Promise<void>;
  /**
   * One request to every instance that answers the subject (handlers with `HandlesBroadcast`,
   * no queue group): the successful replies that came within `maxWaitMs`, or until `enough`.
   * Failed and unreadable replies are left out; with no responders the answer is `[]` at once.
   */
  abstract gather<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, options: GatherOptions<Res>): Promise<Res[]>;
  abstract close(): Promise<void>;
  /** The most bytes one message may carry: the NATS server's max_payload, or the in-process broker's cap. */
  abstract maxPayload(): number;

  /** A fresh budget for one reply that carries bodies (docs/bus-api.md, Reply size). */
  replyBudget(): ReplyBudget {
    return ReplyBudget.forMaxPayload(this.maxPayload());
  }

  /** For callers that treat any error as exceptional (the CLI, seeding). */
  async call<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, options?: RequestOptions): Promise<Res> {
    const reply = await this.request(contract, payload, options);
    if (!reply.ok) throw new DomainException(reply.error.code, reply.error.message, reply.error.details);
    return reply.data;
  }
}

/** Turns a raw reply packet into a Reply; anything unexpected is `internal`, never a throw. */
export function replyFromPacket<Res>(raw: Uint8Array | string, subject: string): Reply<Res> {
  let packet: ReplyPacket;
  try {
    packet = decodeReplyPacket(raw);
  } catch {
    return fail('internal', `unreadable reply on ${subject}`);
  }
  if (packet.err !== undefined && packet.err !== null) {
    return fail('internal', `handler for ${subject} failed: ${describe(packet.err)}`);
  }
  if (!isReply(packet.response)) return fail('internal', `reply on ${subject} is not a Reply value`);
  return packet.response as Reply<Res>;
}

function describe(err: unknown): string {
  if (typeof err === 'string') return err;
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err as { message: unknown }).message);
  return JSON.stringify(err);
}

/** Collects replies until `enough` or the wait is over; `finish` may be called more than once. */
export class ReplyCollector<Res> {
  readonly replies: Res[] = [];
  private readonly timer: NodeJS.Timeout;
  private finished = false;
  readonly done: Promise<Res[]>;
  private resolve!: (replies: Res[]) => void;

  constructor(
    private readonly subject: string,
    private readonly options: GatherOptions<Res>,
    private readonly onFinish: () => void,
  ) {
    this.done = new Promise((resolve) => (this.resolve = resolve));
    this.timer = setTimeout(() => this.finish(), options.maxWaitMs);
  }

  add(raw: Uint8Array | string): void {
    if (this.finished) return;
    const reply = replyFromPacket<Res>(raw, this.subject);
    if (reply.ok) this.replies.push(reply.data);
    if (this.options.enough?.(this.replies)) this.finish();
  }

  /** After sending: a request nobody waits for ends at once. */
  sent(): void {
    if (this.options.enough?.(this.replies)) this.finish();
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.onFinish();
    this.resolve(this.replies);
  }
}
