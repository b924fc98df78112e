import { type DomainError } from '@davmesh/contracts';

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
  logger.warn({ service, outage: known.outage, reason: (error as Error)?.message ?? String(error) }, `${known.outage}: answering unavailable`);
}
