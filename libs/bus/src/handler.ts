import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { DomainException, fail, ok, type EventContract, type Reply, type RequestContract } from '@davmesh/contracts';
import { classifyFailure } from './failure-classifier';
import { isMalformedPayload } from './wire';

/** Marks a method as the handler of a request subject, in its service's queue group. */
export function HandlesRequest(contract: RequestContract<unknown, unknown>): MethodDecorator {
  return MessagePattern(contract.subject, { queue: contract.service });
}

/** Marks a method as the handler of a request every instance answers (no queue group), for `BusClient.gather`. */
export function HandlesBroadcast(contract: RequestContract<unknown, unknown>): MethodDecorator {
  return MessagePattern(contract.subject);
}

/** Marks a method as a listener of an event subject: every instance receives it. */
export function HandlesEvent(contract: EventContract<unknown>): MethodDecorator {
  return EventPattern(contract.subject);
}

export interface HandlerLogger {
  debug?(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Validates the payload against the contract, runs the service call and turns every
 * outcome into a Reply value: a handler never throws across the bus.
 */
export async function handleRequest<Req, Res>(
  contract: RequestContract<Req, Res>,
  payload: unknown,
  logger: HandlerLogger,
  run: (request: Req) => Promise<Res>,
): Promise<Reply<Res>> {
  if (isMalformedPayload(payload)) {
    logger.warn({ subject: contract.subject }, 'rejected a request that is not JSON');
    return fail('bad-request', 'the message body is not valid JSON');
  }
  const parsed = contract.request.safeParse(payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
    logger.warn({ subject: contract.subject, issues }, 'rejected an invalid request');
    return fail('bad-request', `invalid request: ${issues.join('; ')}`, { issues });
  }
  const started = performance.now();
  const handled = (outcome: string) => logger.debug?.({ subject: contract.subject, outcome, ms: Math.round(performance.now() - started) }, 'bus request handled');
  try {
    const reply = ok(await run(parsed.data));
    handled('ok');
    return reply;
  } catch (error) {
    if (error instanceof DomainException) {
      handled(error.code);
      return { ok: false, error: error.toError() };
    }
    const known = classifyFailure(error, contract.service, logger);
    if (known) return { ok: false, error: known };
    logger.error({ subject: contract.subject, err: error }, 'request handler failed');
    return fail('internal', 'internal error');
  }
}

/** Parses an event payload; a malformed event is logged and dropped. */
export function parseEvent<P>(contract: EventContract<P>, payload: unknown, logger: HandlerLogger): P | undefined {
  const parsed = contract.payload.safeParse(payload);
  if (parsed.success) return parsed.data;
  logger.warn({ subject: contract.subject }, 'dropped a malformed event');
  return undefined;
}
