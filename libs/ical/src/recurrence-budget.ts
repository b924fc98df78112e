import ICAL from './ical-module';

/** An evaluation spent more recurrence-rule steps than it was given. */
export class RecurrenceLimitExceeded extends Error {
  constructor() {
    super('the recurrence rules need more work than the limit allows');
    this.name = 'RecurrenceLimitExceeded';
  }
}

/** Steps of recurrence iteration left to one request, across the objects it evaluates. */
export interface RecurrenceBudget {
  steps: number;
}

/** Steps left to the evaluation running now; Infinity outside of one. */
let remaining = Infinity;

// ical.js iterates a rule in a loop that calls check_contracting_rules once per candidate and has no
// bound of its own (FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30 never yields): counting there bounds every
// iteration, the zones' observance rules included.
const iteratorPrototype = (ICAL as unknown as { RecurIterator: { prototype: { check_contracting_rules(): boolean } } }).RecurIterator.prototype;
const checkContractingRules = iteratorPrototype.check_contracting_rules;
iteratorPrototype.check_contracting_rules = function (this: unknown): boolean {
  if (--remaining < 0) throw new RecurrenceLimitExceeded();
  return checkContractingRules.call(this);
};

/**
 * Runs a synchronous evaluation on the budget and charges what it spent; inside another one the
 * outer budget governs. Throws RecurrenceLimitExceeded when the steps run out.
 */
export function withinRecurrenceBudget<T>(budget: RecurrenceBudget, run: () => T): T {
  if (remaining !== Infinity) return run();
  remaining = budget.steps;
  try {
    return run();
  } finally {
    budget.steps = Math.max(0, remaining);
    remaining = Infinity;
  }
}
