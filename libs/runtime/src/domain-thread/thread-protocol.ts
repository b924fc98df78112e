import { type MessagePort } from 'node:worker_threads';
import { type Logger } from '@davmesh/logging';
import { type CheckOutcome } from '../ops/readiness';
import { type ThreadMetrics } from '../ops/node-metrics';

/** What the domain thread is started with (workerData). */
export interface DomainThreadData {
  roles: string[];
  dataDir: string;
  configDir: string;
  configPollMs: number;
  maxPayload: number;
  logLevel: string;
  /** The domain thread's side of the bus link (BrokerLink). */
  busPort: MessagePort;
}

/** What the domain thread answers when asked, by question. */
export interface DomainThreadAnswers {
  readiness: CheckOutcome[];
  metrics: ThreadMetrics;
  stop: true;
}

export type DomainThreadQuestion = keyof DomainThreadAnswers;

export type ToDomainThread = { t: 'ask'; id: number; question: DomainThreadQuestion };

export type FromDomainThread =
  | { t: 'ready' }
  | { t: 'failed'; message: string }
  | { t: 'log'; line: string }
  | { t: 'answer'; id: number; value?: unknown; error?: string };

const PINO_LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** Logs a line the domain thread's logger wrote through the process's logger, so every line goes where the operator's logger sends them. */
export function relayLogLine(logger: Logger, line: string): void {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    logger.warn({ line }, 'the domain thread wrote a log line that is not JSON');
    return;
  }
  const { level, msg, time: _time, pid: _pid, hostname: _hostname, ...fields } = entry;
  const method = PINO_LEVELS[Number(level)] ?? 'info';
  logger[method](fields, typeof msg === 'string' ? msg : undefined);
}
