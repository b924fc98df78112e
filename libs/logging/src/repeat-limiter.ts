import { type Logger } from 'pino';

export type RepeatLevel = 'info' | 'warn' | 'error';

export interface RepeatLimiterOptions {
  /** How long after a logged line its repeats are counted instead of logged. */
  windowMs?: number;
  /** Keys counted at once; beyond it the oldest window is summarised early. */
  maxKeys?: number;
}

interface Window {
  level: RepeatLevel;
  fields: object;
  message: string;
  repeats: number;
  timer: NodeJS.Timeout;
}

const DEFAULT_WINDOW_MS = 60_000;
const DEFAULT_MAX_KEYS = 10_000;

/**
 * Keeps one looping client from flooding the log: the first line of a key (say, a user and a
 * refusal reason) is logged, its repeats within the window only counted, and when the window
 * ends one more line says how many there were ("… repeated 299 times"). A key seen once
 * costs one line and no summary.
 */
export class RepeatLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(
    private readonly logger: Logger,
    options: RepeatLimiterOptions = {},
  ) {
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  }

  info(key: string, fields: object, message: string): void {
    this.log('info', key, fields, message);
  }

  warn(key: string, fields: object, message: string): void {
    this.log('warn', key, fields, message);
  }

  error(key: string, fields: object, message: string): void {
    this.log('error', key, fields, message);
  }

  /** Writes the summaries of every open window now, e.g. before the process exits. */
  flush(): void {
    for (const key of [...this.windows.keys()]) this.close(key);
  }

  private log(level: RepeatLevel, key: string, fields: object, message: string): void {
    const windowKey = `${level}\u0000${key}`;
    const open = this.windows.get(windowKey);
    if (open) {
      open.repeats++;
      return;
    }
    if (this.windows.size >= this.maxKeys) this.close(this.windows.keys().next().value!);
    this.logger[level](fields, message);
    const timer = setTimeout(() => this.close(windowKey), this.windowMs);
    timer.unref();
    this.windows.set(windowKey, { level, fields, message, repeats: 0, timer });
  }

  private close(windowKey: string): void {
    const window = this.windows.get(windowKey);
    if (!window) return;
    this.windows.delete(windowKey);
    clearTimeout(window.timer);
    if (window.repeats === 0) return;
    const seconds = Math.round(this.windowMs / 100) / 10;
    this.logger[window.level](
      { ...window.fields, repeated: window.repeats, windowSeconds: seconds },
      `${window.message} (repeated ${window.repeats} times in ${seconds} s)`,
    );
  }
}
