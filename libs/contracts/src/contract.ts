import { type z } from 'zod';

/** A request/reply subject: the subject, the schema its payload must satisfy, and the reply type. */
export interface RequestContract<Req, Res> {
  readonly kind: 'request';
  readonly subject: string;
  readonly service: ServiceName;
  readonly request: z.ZodType<Req>;
  /**
   * Asking twice changes nothing a client can tell from asking once (the reads behind GET, HEAD,
   * PROPFIND and REPORT): the bus client may ask another replica when the first does not answer.
   */
  readonly idempotent: boolean;
  /** Phantom: carries the reply type for callers; never read at run time. */
  readonly reply?: Res;
}

/** A fan-out event subject: every instance of every listening service receives it. */
export interface EventContract<Payload> {
  readonly kind: 'event';
  readonly subject: string;
  readonly payload: z.ZodType<Payload>;
}

export type ServiceName = 'config' | 'calendar' | 'contacts';

export type RequestOf<C> = C extends RequestContract<infer Req, unknown> ? Req : never;
export type ReplyOf<C> = C extends RequestContract<unknown, infer Res> ? Res : never;
export type PayloadOf<C> = C extends EventContract<infer P> ? P : never;

const SUBJECT_PATTERN = /^(config|calendar|contacts)\.v\d+\.[a-z0-9-]+(\.[a-z0-9-]+)*$/;

export interface RequestTraits {
  /** See RequestContract.idempotent; false unless said. */
  idempotent?: boolean;
}

export function defineRequest<Req, Res>(subject: string, request: z.ZodType<Req>, traits: RequestTraits = {}): RequestContract<Req, Res> {
  return { kind: 'request', subject: checkSubject(subject), service: subject.split('.')[0] as ServiceName, request, idempotent: traits.idempotent ?? false };
}

export function defineEvent<Payload>(subject: string, payload: z.ZodType<Payload>): EventContract<Payload> {
  return { kind: 'event', subject: checkSubject(subject), payload };
}

function checkSubject(subject: string): string {
  if (!SUBJECT_PATTERN.test(subject)) throw new Error(`subject "${subject}" is not <service>.v<N>.<words>`);
  return subject;
}
