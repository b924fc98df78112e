import { join } from 'node:path';
import { FuzzInputs, FuzzSession, inputIndexes, ServerProcess, type FuzzFailure, type Invariant } from '@davmesh/fuzz';

const SEED = 20260110;
const INPUTS = 200;
/** Invariants an earlier input can break for a later one; they count once the input breaks them alone. */
const SHARED: Invariant[] = ['hang', 'no-response', 'slow', 'state-unreadable', 'stored-not-readable'];

describe('hostile input, seeded fuzz run (npm run fuzz runs it long)', () => {
  const root = join(__dirname, '..', '..', '..');
  const session = new FuzzSession(
    new ServerProcess({ script: join(root, 'tools', 'fuzz', 'embedded-server.ts'), execArgv: ['-r', join(root, 'tools', 'register.cjs')], lanes: 3, heapMb: 1024 }),
    { lanes: 3, boundMs: 5_000, hangMs: 10_000, resetEvery: 100 },
  );

  beforeAll(() => session.open(), 120_000);
  afterAll(() => session.close());

  it(`${INPUTS} iCalendar, vCard, XML and header inputs: no 5xx, none slower than 5 s, refusals change nothing, stored objects read back`, async () => {
    const inputs = new FuzzInputs(SEED);
    const suspects: FuzzFailure[] = [];
    await session.run(inputIndexes(INPUTS), (i) => inputs.at(i), (failure) => suspects.push(failure));
    const failures: string[] = [];
    for (const suspect of suspects) {
      const outcome = suspect.violations.some((v) => SHARED.includes(v.invariant)) ? await session.confirm(suspect.fuzzCase) : suspect;
      for (const violation of outcome.violations) failures.push(`#${suspect.id} ${suspect.fuzzCase.kind} ${suspect.fuzzCase.label} → ${outcome.response.status || outcome.response.error}: ${violation.invariant}: ${violation.detail.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
