import { extname, join, resolve } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { BrokerLink, type InProcessBroker } from '@davmesh/bus';
import { type Logger } from '@davmesh/logging';
import { type NodeMetrics } from '../ops/node-metrics';
import { type Readiness } from '../ops/readiness';
import { relayLogLine, type DomainThreadAnswers, type DomainThreadData, type DomainThreadQuestion, type FromDomainThread, type ToDomainThread } from './thread-protocol';

export interface DomainThreadOptions {
  roles: string[];
  /**
   * Called once if the thread ends without being stopped (an uncaught error in a service, say):
   * the node cannot serve without it, so its owner should end as a one-thread process would have.
   */
  onLost: (error: Error) => void;
  dataDir: string;
  configDir: string;
  configPollMs: number;
}

/** Run from sources (npm start, the specs), the worker loads TypeScript as the main thread does. */
const SOURCE_LOADER = resolve(__dirname, '../../../../tools/register.cjs');

/** Of the process's Node options, those the thread takes too: profiling and source maps (the rest are per process, or the specs' V8 tuning). */
const THREAD_OPTIONS = /^--(cpu-prof|heap-prof|enable-source-maps)/;

/**
 * Embedded mode on two threads: the domain services and PGlite on a worker thread, the edge on
 * the main one, joined by a BrokerLink so the bus behaves as on one broker. The edge's HTTP, XML
 * and caches and the services' SQL and iCalendar work then run on both cores. The thread's
 * readiness checks, metrics and log lines are the process's.
 */
export class DomainThread {
  private readonly questions = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextQuestion = 0;
  private exited?: string;
  private stopping = false;
  private started = false;

  private constructor(
    private readonly worker: Worker,
    private readonly link: BrokerLink,
    private readonly logger: Logger,
    private readonly onLost: (error: Error) => void,
  ) {}

  /** Resolves once every domain service answers on the bus; rejects with the thread's own reason when its start fails. */
  static async start(options: DomainThreadOptions, broker: InProcessBroker, logger: Logger, readiness: Readiness, metrics: NodeMetrics): Promise<DomainThread> {
    const channel = new MessageChannel();
    const link = new BrokerLink(broker, channel.port1);
    const { onLost, ...settings } = options;
    const data: DomainThreadData = { ...settings, maxPayload: broker.maxPayload, logLevel: logger.level, busPort: channel.port2 };
    const fromSources = extname(__filename) === '.ts';
    const worker = new Worker(join(__dirname, `domain-thread.worker${extname(__filename)}`), {
      workerData: data,
      transferList: [channel.port2],
      execArgv: [...process.execArgv.filter((option) => THREAD_OPTIONS.test(option)), ...(fromSources ? ['--require', SOURCE_LOADER] : [])],
      stdout: false,
      stderr: false,
    });
    const thread = new DomainThread(worker, link, logger, onLost);
    await new Promise<void>((ready, failed) => {
      worker.on('message', (message: FromDomainThread) => {
        if (message.t === 'ready') ready();
        else if (message.t === 'failed') failed(new Error(message.message));
        else thread.receive(message);
      });
      worker.on('error', (error) => {
        thread.lost(`the domain thread failed: ${error.message}`);
        failed(error);
      });
      worker.on('exit', (code) => {
        thread.lost(`the domain thread exited (code ${code})`);
        failed(new Error(`the domain thread exited (code ${code}) while starting`));
      });
    });
    // The thread said ready on its own port: its services' subscriptions may still be crossing the bus's.
    await link.synced();
    thread.started = true;
    readiness.addGroup('domain-thread', () => (thread.exited ? Promise.resolve([{ name: 'domain-thread', ok: false, detail: thread.exited }]) : thread.ask('readiness')));
    metrics.addThread(() => (thread.exited ? Promise.resolve([]) : thread.ask('metrics')));
    return thread;
  }

  /** The services stop in order (requests in flight answered, databases closed), then the thread ends. */
  async stop(): Promise<void> {
    try {
      if (!this.exited) await this.ask('stop');
    } finally {
      this.stopping = true;
      this.link.close();
      await this.worker.terminate();
    }
  }

  private ask<Q extends DomainThreadQuestion>(question: Q): Promise<DomainThreadAnswers[Q]> {
    const id = ++this.nextQuestion;
    return new Promise<DomainThreadAnswers[Q]>((resolve, reject) => {
      this.questions.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ t: 'ask', id, question } satisfies ToDomainThread);
    });
  }

  private receive(message: Exclude<FromDomainThread, { t: 'ready' | 'failed' }>): void {
    if (message.t === 'log') {
      relayLogLine(this.logger, message.line);
      return;
    }
    const question = this.questions.get(message.id);
    this.questions.delete(message.id);
    if (message.error !== undefined) question?.reject(new Error(message.error));
    else question?.resolve(message.value);
  }

  private lost(reason: string): void {
    if (this.exited) return;
    this.exited = reason;
    if (this.stopping) return;
    this.link.close();
    for (const question of this.questions.values()) question.reject(new Error(reason));
    this.questions.clear();
    this.logger.error(reason);
    // A failed start is the start's to report (it rejects); a thread lost while serving is the owner's.
    if (this.started) this.onLost(new Error(reason));
  }
}
