import ICAL from './ical-module';

/** An evaluation spent more recurrence-rule steps than it was given. */
export class RecurrenceLimitExceeded extends Error {
  constructor() {
    super('the recurrence rules need more work than the limit allows');
    this.name = 'RecurrenceLimitExceeded';
  }
}

/** Recurrence iteration left to one request, across the objects it evaluates. */
export interface RecurrenceBudget {
  steps: number;
  /** performance.now() past which no step is taken; absent, the steps alone bound the work. */
  deadline?: number;
}

/** A budget of `steps` that also ends `millis` from now. */
export function recurrenceBudget(steps: number, millis: number): RecurrenceBudget {
  return { steps, deadline: performance.now() + millis };
}

/** Steps left to the evaluation running now; Infinity outside of one. */
let remaining = Infinity;
let deadline = Infinity;
/** The clock is read once in this many steps: a step costs microseconds, the read about as much. */
const CLOCK_EVERY = 64;

// ical.js iterates a rule in a loop that calls check_contracting_rules once per candidate and has no
// bound of its own (FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30 never yields): counting there bounds every
// iteration, the zones' observance rules included. A step costs 5 to 70 microseconds depending on the
// rule, so the steps alone would let one object hold the thread for a minute: the clock bounds it too.
const iteratorPrototype = (ICAL as unknown as { RecurIterator: { prototype: { check_contracting_rules(): boolean } } }).RecurIterator.prototype;
const checkContractingRules = iteratorPrototype.check_contracting_rules;
iteratorPrototype.check_contracting_rules = function (this: unknown): boolean {
  if (--remaining < 0 || (remaining % CLOCK_EVERY === 0 && performance.now() > deadline)) throw new RecurrenceLimitExceeded();
  return checkContractingRules.call(this);
};

/**
 * Runs a synchronous evaluation on the budget and charges what it spent; inside another one the
 * outer budget governs. Throws RecurrenceLimitExceeded when the steps run out.
 */
export function withinRecurrenceBudget<T>(budget: RecurrenceBudget, run: () => T): T {
  if (remaining !== Infinity) return run();
  remaining = budget.steps;
  deadline = budget.deadline ?? Infinity;
  try {
    return run();
  } finally {
    budget.steps = Math.max(0, remaining);
    remaining = Infinity;
    deadline = Infinity;
  }
}
