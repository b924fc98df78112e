import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while handling one request carries. */
export interface LogContext {
  requestId: string;
}

const current = new AsyncLocalStorage<LogContext>();

/** Runs `work` so that every line logged from it (through createLogger's loggers) carries the request id. */
export function withLogContext<T>(context: LogContext | undefined, work: () => T): T {
  return context ? current.run(context, work) : current.exit(work);
}

export function currentLogContext(): LogContext | undefined {
  return current.getStore();
}

/** An incoming request id is kept when it is short and plain; anything else is replaced by one of ours. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}
