import fc from 'fast-check';
import { type FuzzCase } from './fuzz-case';
import { headersCase } from './headers.arbitraries';
import { icalendarCase } from './icalendar.arbitraries';
import { vcardCase } from './vcard.arbitraries';
import { xmlCase } from './xml-bodies.arbitraries';

/** Every kind of input, in the proportions a run uses. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof({ weight: 3, arbitrary: icalendarCase }, { weight: 2, arbitrary: vcardCase }, { weight: 3, arbitrary: xmlCase }, { weight: 2, arbitrary: headersCase });

const BATCH = 250;

/**
 * Input number `index` of the run with `seed`, the same on every machine. Inputs are drawn in
 * batches with a seed of their own, so a long run never holds more than a few batches in memory.
 */
export class FuzzInputs {
  private batches = new Map<number, FuzzCase[]>();

  constructor(
    readonly seed: number,
    private readonly arbitrary: fc.Arbitrary<FuzzCase> = fuzzCase,
  ) {}

  at(index: number): FuzzCase {
    const batch = Math.floor(index / BATCH);
    let cases = this.batches.get(batch);
    if (!cases) {
      cases = fc.sample(this.arbitrary, { seed: (this.seed + Math.imul(batch, 0x9e3779b1)) | 0, numRuns: BATCH });
      this.batches.set(batch, cases);
      for (const old of this.batches.keys()) if (old < batch - 2) this.batches.delete(old);
    }
    return cases[index % BATCH];
  }
}
