/** A check passes with `true`, or fails with a short reason. */
export type ReadinessCheck = () => Promise<true | string> | true | string;

export interface CheckOutcome {
  name: string;
  ok: boolean;
  /** Why it fails. */
  detail?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: CheckOutcome[];
}

/** A check that has not answered by then fails: a probe must answer within its own timeout (Kubernetes: 1 s by default). */
const CHECK_TIMEOUT_MS = 900;

/**
 * Whether THIS process should be sent work: the checks its parts registered (bus connected,
 * each role's database reachable and schema current, configuration loaded, start finished),
 * all asked at each probe, and false from the moment the process begins to stop.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly groups = new Map<string, () => Promise<CheckOutcome[]>>();
  private stopping = false;

  /** Registers (or replaces) the check of that name. */
  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Checks asked elsewhere (another thread's readiness) and reported as they come; the group's name stands for them when it fails to answer. */
  addGroup(name: string, outcomes: () => Promise<CheckOutcome[]>): void {
    this.groups.set(name, outcomes);
  }

  markStopping(): void {
    this.stopping = true;
  }

  async report(): Promise<ReadinessReport> {
    // The parts the checks ask are closing: their answers would only be slower, not truer.
    if (this.stopping) return { ready: false, checks: [{ name: 'stopping', ok: false, detail: 'the process is stopping' }] };
    const [own, grouped] = await Promise.all([
      Promise.all([...this.checks].map(([name, check]) => run(name, check))),
      Promise.all([...this.groups].map(([name, outcomes]) => runGroup(name, outcomes))),
    ]);
    const checks = [...own, ...grouped.flat()];
    return { ready: checks.every((c) => c.ok), checks };
  }
}

async function runGroup(name: string, outcomes: () => Promise<CheckOutcome[]>): Promise<CheckOutcome[]> {
  let answered: CheckOutcome[] = [];
  const outcome = await run(name, async (): Promise<true> => {
    answered = await outcomes();
    return true;
  });
  return outcome.ok ? answered : [outcome];
}

async function run(name: string, check: ReadinessCheck): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(check), timeout]);
    return result === true ? { name, ok: true } : { name, ok: false, detail: result };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
