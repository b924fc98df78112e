import { type LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentLogContext } from './log-context';
import { oncePerTurn } from './once-per-turn';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Human-readable lines instead of JSON; the default when stdout is a terminal. */
  pretty?: boolean;
  /** Where JSON lines go instead of stdout (tests read them). */
  destination?: DestinationStream;
}

/** The request being handled (withLogContext), on every line logged while handling it. */
function requestFields(): object {
  return currentLogContext() ?? {};
}

/**
 * Standard output written once per event-loop turn. pino's own destination makes a write(2) per
 * line, one per request: 5-10% of a busy embedded node's GETs on a VM where system calls are dear.
 * Lines wait in sonic-boom's buffer (pino.destination) until the turn ends, or leave at once past
 * 8 KiB; what is left at exit is written then.
 */
export function turnBatchedOutput(fd = 1): BatchedOutput {
  let output = outputs.get(fd);
  if (!output) outputs.set(fd, (output = batchedOutput(fd)));
  return output;
}

type BatchedOutput = DestinationStream & { flush(cb?: (error?: Error) => void): void };

/** One per file descriptor and process: every logger of the process shares its buffer and exit hook. */
const outputs = new Map<number, BatchedOutput>();

function batchedOutput(fd: number): BatchedOutput {
  const stream = pino.destination({ dest: fd, sync: true, minLength: 8 * 1024 });
  const flushAtTurnEnd = oncePerTurn(() => stream.flush());
  process.on('exit', () => {
    try {
      stream.flushSync();
    } catch {
      // Output closed: nothing more can be written.
    }
  });
  return {
    write(line: string) {
      stream.write(line);
      flushAtTurnEnd();
    },
    flush(cb) {
      stream.flush();
      cb?.();
    },
  };
}

/** Structured JSON logs (pino); readable lines on a terminal unless LOG_FORMAT=json. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const format = process.env.LOG_FORMAT;
  const pretty = options.pretty ?? (format ? format === 'pretty' : Boolean(process.stdout.isTTY));
  if (!pretty || options.destination) {
    return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime, mixin: requestFields }, options.destination ?? turnBatchedOutput());
  }
  return pino({
    level,
    mixin: requestFields,
    transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
  });
}

/** Lets Nest's own messages go through the same pino logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  /** Nest's own progress lines (modules loaded, routes mapped) are debug detail for us. */
  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
