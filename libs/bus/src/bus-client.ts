import {
  DomainException,
  fail,
  isReply,
  type EventContract,
  type Reply,
  type RequestContract,
} from '@davmesh/contracts';
import { decodeReplyPacket, type ReplyPacket } from './wire';

export interface RequestOptions {
  timeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

/** What every caller of the bus holds: typed requests that always resolve to a Reply, and events. */
export abstract class BusClient {
  abstract request<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, options?: RequestOptions): Promise<Reply<Res>>;
  abstract emit<P>(contract: EventContract<P>, payload: P): Promise<void>;
  abstract close(): Promise<void>;

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
