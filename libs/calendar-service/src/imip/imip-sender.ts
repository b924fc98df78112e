import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type SMTPTransportOptions, type Transporter } from 'nodemailer';
import { ImipOutgoingChanged, type ImipMessageStatus } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { CalendarUnitOfWork } from '../calendar.unit-of-work';
import { composeImipMail } from './imip-mail';
import { ImipOutgoingRepository, type ClaimedImipMessage, type ImipAttemptResult } from './imip-outgoing.repository';
import { ImipOutcomes } from './imip-queue';
import { ImipSettingsReader, type ImipSettings } from './imip-settings';
import { attemptResult, classifySmtpFailure, type SmtpOutcome } from './smtp-outcome';

/** How often a sender looks for due messages. */
const POLL_MS = 1000;
/** Messages one pass takes; they are sent one after the other. */
const BATCH = 10;
/**
 * How long a pass holds the messages it took: longer than BATCH sends at the SMTP timeouts below
 * (10 × 50 s), so a slow relay never lets another replica send the same message meanwhile.
 */
const LEASE_SECONDS = 600;
/** Settled messages are kept this long for `imip queue` and the wiring, then deleted. */
const KEEP_SETTLED_DAYS = 30;
const EXPIRE_EVERY_MS = 3_600_000;

/**
 * Sends the queued iMIP messages through the configured SMTP relay. Every calendar replica runs
 * one; they share the queue through leases (ImipOutgoingRepository.claimDue), so a message is
 * sent by one replica at a time, and what is queued survives restarts. A message whose send
 * outlives its replica (killed after the relay took it, before the result was stored) is sent
 * again when its lease runs out: at least once, with the same Message-ID.
 */
@Injectable()
export class ImipSender implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private pass?: Promise<number>;
  private stopped = true;
  private nextExpiry = 0;
  /** Said once when passes start failing, once when they work again. */
  private troubled = false;

  constructor(
    @Inject(ImipOutgoingRepository) private readonly queue: ImipOutgoingRepository,
    @Inject(CalendarUnitOfWork) private readonly unitOfWork: CalendarUnitOfWork,
    @Inject(ImipSettingsReader) private readonly settings: ImipSettingsReader,
    @Inject(ImipOutcomes) private readonly outcomes: ImipOutcomes,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.schedule(POLL_MS);
  }

  /** Finishes the message being sent; what is left waits in the queue for any replica. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  /** One pass over the due messages; answers how many it tried. */
  sendDue(): Promise<number> {
    this.pass ??= this.run().finally(() => (this.pass = undefined));
    return this.pass;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.sendDue().then((tried) => this.schedule(tried === BATCH ? 0 : POLL_MS));
    }, delayMs);
    this.timer.unref();
  }

  private async run(): Promise<number> {
    await this.expireSettled();
    let due: ClaimedImipMessage[];
    try {
      due = await this.queue.claimDue(LEASE_SECONDS, BATCH);
    } catch (error) {
      this.trouble({ err: error }, 'the iMIP queue cannot be read; its messages wait');
      return 0;
    }
    if (due.length === 0) return 0;
    let settings: ImipSettings;
    try {
      settings = await this.settings.current();
    } catch (error) {
      await this.queue.release(due.map((m) => m.id)).catch(() => undefined);
      this.trouble({ err: error }, 'the iMIP settings cannot be read; queued messages wait');
      return 0;
    }
    this.untroubled();
    const transport = settings.relay ? (await import('nodemailer')).createTransport(transportOptions(settings)) : undefined;
    try {
      for (const [index, message] of due.entries()) {
        if (this.stopped) {
          await this.queue.release(due.slice(index).map((m) => m.id)).catch(() => undefined);
          return index;
        }
        await this.record(message, transport ? await this.attempt(transport, message, settings) : notConfigured());
      }
    } finally {
      transport?.close();
    }
    return due.length;
  }

  private async attempt(transport: Transporter, message: ClaimedImipMessage, settings: ImipSettings): Promise<ImipAttemptResult> {
    let outcome: SmtpOutcome;
    try {
      const info = await transport.sendMail(composeImipMail(message, settings));
      outcome = { kind: 'sent', response: String((info as { response?: unknown }).response ?? 'accepted') };
    } catch (error) {
      outcome = classifySmtpFailure(error);
    }
    return attemptResult(outcome, message.attempts, message.ageSeconds, settings.retry);
  }

  /**
   * Stores the attempt, its event and what the listeners write in one transaction. A listener
   * that fails costs its write, not the attempt: that is stored again without them, so a bug in
   * a listener never sends a message twice.
   */
  private async record(message: ClaimedImipMessage, result: ImipAttemptResult): Promise<void> {
    const store = (withListeners: boolean) =>
      this.unitOfWork.transaction(async (tx, announce) => {
        const status = await tx.imip.recordAttempt(message.id, result);
        if (!status) return undefined;
        announce(ImipOutgoingChanged, eventOf(status));
        if (withListeners) await this.outcomes.notify(tx, status, announce);
        return status;
      });
    let status: ImipMessageStatus | undefined;
    try {
      status = await store(true);
    } catch (error) {
      try {
        if (this.outcomes.listening) this.logger.error({ err: error, messageId: message.id }, 'an iMIP outcome listener failed; the attempt is stored without it');
        status = await store(false);
      } catch (again) {
        // Its lease runs out and the message is tried again: sent at least once.
        this.logger.warn({ err: again, messageId: message.id }, 'an iMIP attempt could not be stored; the message will be tried again');
        return;
      }
    }
    if (!status) return;
    const details = { messageId: status.messageId, to: status.to, method: status.method, state: status.state, scheduleStatus: status.scheduleStatus, attempts: status.attempts };
    if (status.state === 'queued') this.logger.info({ ...details, nextAttemptAt: status.nextAttemptAt, response: status.lastResponse }, 'iMIP message not taken by the relay; tried again later');
    else if (status.state === 'sent') this.logger.info(details, 'iMIP message sent');
    else this.logger.warn({ ...details, response: status.lastResponse }, 'iMIP message not sent');
  }

  /** At most once an hour, on any replica: settled messages past their keeping go. */
  private async expireSettled(): Promise<void> {
    if (Date.now() < this.nextExpiry) return;
    this.nextExpiry = Date.now() + EXPIRE_EVERY_MS;
    try {
      await this.queue.deleteSettled(KEEP_SETTLED_DAYS);
    } catch (error) {
      this.logger.debug({ err: error }, 'settled iMIP messages not deleted; the next hour tries again');
    }
  }

  private trouble(details: object, message: string): void {
    if (!this.troubled) this.logger.warn(details, message);
    else this.logger.debug(details, message);
    this.troubled = true;
  }

  private untroubled(): void {
    if (this.troubled) this.logger.info({}, 'the iMIP queue is read again');
    this.troubled = false;
  }
}

function notConfigured(): ImipAttemptResult {
  return { state: 'not-configured', scheduleStatus: '5.1', response: 'no SMTP relay configured (davmesh.imip.smtp.url): not sent' };
}

function eventOf(status: ImipMessageStatus) {
  const { messageId, state, scheduleStatus, attempts, method, to, reference } = status;
  return { messageId, state, scheduleStatus, attempts, method, to, reference };
}

/** nodemailer's SMTP transport for the relay; bounded waits, and no file or URL content in a message. */
export function transportOptions(settings: ImipSettings): SMTPTransportOptions {
  const relay = settings.relay!;
  return {
    host: relay.host,
    port: relay.port,
    secure: relay.secure,
    auth: relay.auth,
    requireTLS: settings.requireTls && !relay.secure,
    tls: { rejectUnauthorized: settings.rejectUnauthorized },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
