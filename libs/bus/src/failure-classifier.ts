import { type DomainError } from '@davmesh/contracts';
import { RepeatLimiter, type Logger } from '@davmesh/logging';

/** A failure that is not a bug: what to answer, and the outage to tell the operator about. */
export interface KnownFailure {
  error: DomainError;
  /** Names the outage ("database unavailable"): logged as a warning, once per outage and service, not per request. */
  outage: string;
}

/** Recognises failures of something the service depends on (a database connection error, ...); undefined for anything else. */
export type FailureClassifier = (error: unknown) => KnownFailure | undefined;

export interface OutageLogger {
  warn(obj: object, msg: string): void;
}

const classifiers = new Set<FailureClassifier>();

/** An outage is told once per service and kind in this window, then how many requests it refused. */
export const OUTAGE_LOG_WINDOW_MS = 30_000;

const outageLogs = new WeakMap<OutageLogger, RepeatLimiter>();

/** Registered by the module that knows the failures (storage for its driver's); registering twice is once. */
export function registerFailureClassifier(classifier: FailureClassifier): void {
  classifiers.add(classifier);
}

/** The domain error a handler's failure stands for, if a classifier knows it; the outage is logged. */
export function classifyFailure(error: unknown, service: string, logger: OutageLogger): DomainError | undefined {
  for (const classifier of classifiers) {
    const known = classifier(error);
    if (!known) continue;
    reportOutage(logger, service, known, error);
    return known.error;
  }
  return undefined;
}

function reportOutage(logger: OutageLogger, service: string, known: KnownFailure, error: unknown): void {
  let limiter = outageLogs.get(logger);
  if (!limiter) {
    // The limiter logs at warn only here, which is all an OutageLogger offers.
    limiter = new RepeatLimiter(logger as Logger, { windowMs: OUTAGE_LOG_WINDOW_MS });
    outageLogs.set(logger, limiter);
  }
  const reason = (error as Error)?.message ?? String(error);
  limiter.warn(`${service}\u0000${known.outage}`, { service, outage: known.outage, reason }, `${known.outage}: answering unavailable`);
}
