import { type ImipScheduleStatus } from '@davmesh/contracts';
import { type ImipAttemptResult } from './imip-outgoing.repository';
import { type ImipSettings } from './imip-settings';

/** What the relay made of one attempt. */
export type SmtpOutcome =
  | { kind: 'sent'; response: string }
  | { kind: 'temporary'; response: string }
  | { kind: 'permanent'; scheduleStatus: Extract<ImipScheduleStatus, '3.7' | '5.2' | '5.3'>; response: string };

interface SmtpFailure {
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  message?: string;
  rejectedErrors?: SmtpFailure[];
}

/** The commands of one message's transaction: a 5xx there is about this message, not the relay. */
const MESSAGE_COMMANDS = /^(MAIL|RCPT|DATA)\b/;

/**
 * A nodemailer failure as the queue treats it. 5xx to MAIL FROM, RCPT TO or DATA is permanent:
 * the recipient refused (RCPT, or an enhanced code 5.1.x: bad destination) is 3.7, a policy
 * refusal (5.7.x) 5.3, anything else 5.2. Everything else is temporary and tried again: 4xx, no
 * connection, a timeout, and the session's own trouble whatever its code (TLS, STARTTLS refused,
 * a 535 login: the relay's settings are the operator's to fix, not the recipient's).
 */
export function classifySmtpFailure(error: unknown): SmtpOutcome {
  const failure = (error ?? {}) as SmtpFailure;
  const detail = failure.rejectedErrors?.[0] ?? failure;
  const code = detail.responseCode ?? failure.responseCode;
  const command = (detail.command ?? failure.command ?? '').toUpperCase();
  const answer = (detail.response ?? failure.response ?? failure.message ?? String(error)).trim();
  // The command says which step failed ("STARTTLS: 500 command not recognized").
  const response = command && command !== 'CONN' && !answer.toUpperCase().includes(command) ? `${command}: ${answer}` : answer;
  if (code === undefined || code < 500 || code > 599 || !MESSAGE_COMMANDS.test(command)) return { kind: 'temporary', response };
  const enhanced = /\b5\.(\d{1,3})\.\d{1,3}\b/.exec(answer);
  if (enhanced?.[1] === '7') return { kind: 'permanent', scheduleStatus: '5.3', response };
  if (enhanced?.[1] === '1' || (!enhanced && command.startsWith('RCPT') && [550, 551, 553].includes(code))) {
    return { kind: 'permanent', scheduleStatus: '3.7', response };
  }
  return { kind: 'permanent', scheduleStatus: '5.2', response };
}

/**
 * The state an attempt leaves a message in. A temporary failure waits `firstDelaySeconds`
 * doubled per attempt made, at most `maxDelaySeconds`, and is given up (failed, 5.1) when the
 * next try would come after `giveUpHours` from its queueing.
 */
export function attemptResult(outcome: SmtpOutcome, attemptsBefore: number, ageSeconds: number, retry: ImipSettings['retry']): ImipAttemptResult {
  switch (outcome.kind) {
    case 'sent':
      return { state: 'sent', scheduleStatus: '1.1', response: outcome.response };
    case 'permanent':
      return { state: 'refused', scheduleStatus: outcome.scheduleStatus, response: outcome.response };
    case 'temporary': {
      const delay = Math.min(retry.firstDelaySeconds * 2 ** Math.min(attemptsBefore, 30), retry.maxDelaySeconds);
      if (ageSeconds + delay > retry.giveUpHours * 3600) {
        return { state: 'failed', scheduleStatus: '5.1', response: `gave up after ${attemptsBefore + 1} attempts: ${outcome.response}` };
      }
      return { state: 'queued', scheduleStatus: '1.0', retryInSeconds: delay, response: outcome.response };
    }
  }
}
