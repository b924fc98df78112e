import { randomUUID } from 'node:crypto';

/**
 * The bytes on the wire are Nest's microservice packets, JSON-encoded, in every
 * transport: requests `{ pattern, data, id }`, events `{ pattern, data }`, replies
 * `{ id, response?, err?, isDisposed? }`. Non-Nest callers may send the bare payload
 * with a reply subject; it is answered the same way.
 */
export interface RequestPacket {
  pattern?: string;
  data: unknown;
  id?: string;
}

export interface ReplyPacket {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

/** Stands in for a payload that was not JSON, so the handler can answer `bad-request`. */
export const MALFORMED_PAYLOAD = Object.freeze({ __davmeshMalformed: 'the message body is not valid JSON' });

export function isMalformedPayload(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '__davmeshMalformed' in value;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function encodePacket(packet: RequestPacket | ReplyPacket): Uint8Array {
  return encoder.encode(JSON.stringify(packet));
}

/**
 * Never throws: garbage becomes a packet carrying MALFORMED_PAYLOAD, and a bare payload
 * sent with a reply subject becomes a request with a fresh id, so it is answered.
 */
export function decodeRequestPacket(raw: Uint8Array | string, channel: string, expectsReply: boolean): RequestPacket {
  let value: unknown;
  try {
    const text = typeof raw === 'string' ? raw : decoder.decode(raw);
    value = text.length === 0 ? {} : JSON.parse(text);
  } catch {
    return { pattern: channel, data: MALFORMED_PAYLOAD, id: expectsReply ? randomUUID() : undefined };
  }
  const isNestPacket =
    typeof value === 'object' && value !== null && !Array.isArray(value) && ('pattern' in value || 'data' in value);
  const packet: RequestPacket = isNestPacket ? (value as RequestPacket) : { pattern: channel, data: value };
  if (expectsReply && packet.id === undefined) packet.id = randomUUID();
  if (!expectsReply) delete packet.id;
  return packet;
}

export function decodeReplyPacket(raw: Uint8Array | string): ReplyPacket {
  const text = typeof raw === 'string' ? raw : decoder.decode(raw);
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) throw new Error('reply is not an object');
  return value as ReplyPacket;
}

export function prefixed(prefix: string, subject: string): string {
  return prefix ? `${prefix}.${subject}` : subject;
}
