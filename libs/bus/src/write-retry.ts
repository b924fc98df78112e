import { type Attempt } from './idempotent-retry';

/** How long a write whose outcome is unknown is asked again, from its first try. */
export const WRITE_OUTCOME_BUDGET_MS = 20_000;
/** Pause between tries that got no answer: a reconnect takes about this long. */
const PAUSE_BETWEEN_TRIES_MS = 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * A write asked until it is answered, under one key (`attempt` sends the same key each time),
 * one try at a time. While every try failed at once (no responders: nothing was delivered) the
 * caller's budget holds; once a try may have been delivered (it timed out, or the connection
 * failed under it) the write may be committed with its reply lost, and tries go on for
 * `outcomeBudgetMs`, so that a committed write is answered as stored rather than reported
 * failed. Tries never overlap: the service finds a stored key, or waits for the try holding it.
 */
export async function askUntilKnown<Res>(
  budgetMs: number,
  attempt: (timeoutMs: number) => Promise<Attempt<Res>>,
  outcomeBudgetMs = WRITE_OUTCOME_BUDGET_MS,
): Promise<Attempt<Res>> {
  const started = Date.now();
  let deadline = started + budgetMs;
  let outcome = await attempt(budgetMs);
  while (!('reply' in outcome)) {
    if (outcome.noAnswer !== 'no-responders') deadline = Math.max(deadline, started + outcomeBudgetMs);
    await sleep(Math.min(PAUSE_BETWEEN_TRIES_MS, deadline - Date.now()));
    const remaining = deadline - Date.now();
    if (remaining <= 0) return outcome;
    outcome = await attempt(Math.min(remaining, budgetMs));
  }
  return outcome;
}
