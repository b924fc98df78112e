import { type Reply } from '@davmesh/contracts';

/** One try of a request: the reply, or why none came. */
export type Attempt<Res> = { reply: Reply<Res> } | { noAnswer: 'timeout' | 'no-responders' | 'error'; message: string };

/** Share of an idempotent request's budget the first replica gets before another is asked. */
export const FIRST_ATTEMPT_SHARE = 0.4;

/** After a try that failed at once (no responders), the pause before the second: subscriptions come back after a reconnect. */
const PAUSE_AFTER_FAST_FAILURE_MS = 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * An idempotent request asked at most twice within one budget. The first try may use the
 * whole budget; when it has not answered after FIRST_ATTEMPT_SHARE of it (a replica died with
 * the request, or hangs), or failed at once, a second try goes out and whichever answers first
 * wins. The queue group hands the second try to any live replica: a dead one has lost its
 * subscription by then. A reply (even an error reply) is final; only no answer is retried.
 */
export async function askTwice<Res>(budgetMs: number, attempt: (timeoutMs: number) => Promise<Attempt<Res>>): Promise<Attempt<Res>> {
  const started = Date.now();
  const first = attempt(budgetMs);
  let timer: NodeJS.Timeout | undefined;
  const window = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), budgetMs * FIRST_ATTEMPT_SHARE)));
  const outcome = await Promise.race([first, window]);
  clearTimeout(timer);
  if (outcome && 'reply' in outcome) return outcome;
  if (outcome) await sleep(Math.min(PAUSE_AFTER_FAST_FAILURE_MS, budgetMs * FIRST_ATTEMPT_SHARE - (Date.now() - started)));
  const remaining = budgetMs - (Date.now() - started);
  if (remaining <= 0) return outcome ?? first;
  const second = attempt(remaining);
  return outcome ? second : firstAnswer(first, second);
}

/** The first of two tries that got a reply; when neither did, the later failure. */
function firstAnswer<Res>(...tries: Promise<Attempt<Res>>[]): Promise<Attempt<Res>> {
  return new Promise((resolve) => {
    let pending = tries.length;
    for (const attempt of tries) {
      void attempt.then((outcome) => {
        pending--;
        if ('reply' in outcome || pending === 0) resolve(outcome);
      });
    }
  });
}
