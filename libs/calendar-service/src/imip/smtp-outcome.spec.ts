import { attemptResult, classifySmtpFailure } from './smtp-outcome';

const RETRY = { firstDelaySeconds: 60, maxDelaySeconds: 3600, giveUpHours: 48 };

describe('iMIP: what an SMTP answer makes of a message', () => {
  it('takes 4xx and failures without an answer (refused connection, timeout, TLS, a rejected login) as temporary', () => {
    expect(classifySmtpFailure({ code: 'EENVELOPE', responseCode: 451, response: '451 4.3.0 try later', command: 'RCPT TO' }).kind).toBe('temporary');
    expect(classifySmtpFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' })).kind).toBe('temporary');
    expect(classifySmtpFailure({ code: 'ETIMEDOUT', message: 'Greeting never received' }).kind).toBe('temporary');
    expect(classifySmtpFailure({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Authentication failed', command: 'AUTH PLAIN' }).kind).toBe('temporary');
    expect(classifySmtpFailure({ code: 'ETLS', responseCode: 500, response: '500 Error: command not recognized', command: 'STARTTLS' })).toEqual({
      kind: 'temporary',
      response: 'STARTTLS: 500 Error: command not recognized',
    });
  });

  it('takes 5xx as permanent: an unknown recipient 3.7, a policy refusal 5.3, anything else 5.2', () => {
    const rejected = (response: string, command = 'RCPT TO') => {
      const code = Number(response.slice(0, 3));
      return classifySmtpFailure({ code: 'EENVELOPE', responseCode: code, response, command, rejectedErrors: [{ code: 'ERECIPIENT', responseCode: code, response, command }] });
    };
    expect(rejected('550 5.1.1 No such user')).toMatchObject({ kind: 'permanent', scheduleStatus: '3.7' });
    expect(rejected('553 mailbox name not allowed')).toMatchObject({ kind: 'permanent', scheduleStatus: '3.7' });
    expect(rejected('550 5.7.1 Relaying denied')).toMatchObject({ kind: 'permanent', scheduleStatus: '5.3' });
    expect(rejected('552 5.3.4 Message too big', 'DATA')).toMatchObject({ kind: 'permanent', scheduleStatus: '5.2' });
    expect(rejected('554 Transaction failed', 'DATA')).toMatchObject({ kind: 'permanent', scheduleStatus: '5.2' });
  });

  it('waits the first delay doubled per attempt up to the longest, and gives up past the give-up age (5.1)', () => {
    const temporary = { kind: 'temporary', response: '451 later' } as const;
    const delays = [0, 1, 2, 3, 6, 7, 12].map((attempts) => {
      const result = attemptResult(temporary, attempts, 0, RETRY);
      return result.state === 'queued' ? result.retryInSeconds : result.state;
    });
    expect(delays).toEqual([60, 120, 240, 480, 3600, 3600, 3600]);
    expect(attemptResult(temporary, 40, 48 * 3600 - 3599, RETRY)).toMatchObject({ state: 'failed', scheduleStatus: '5.1', response: 'gave up after 41 attempts: 451 later' });
    expect(attemptResult({ kind: 'sent', response: '250 ok' }, 3, 10, RETRY)).toEqual({ state: 'sent', scheduleStatus: '1.1', response: '250 ok' });
    expect(attemptResult({ kind: 'permanent', scheduleStatus: '3.7', response: '550' }, 0, 0, RETRY)).toMatchObject({ state: 'refused', scheduleStatus: '3.7' });
  });
});
