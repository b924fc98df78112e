import { type FuzzCase } from './fuzz-case';
import { type Invariant } from './invariants';

/** Splits a body into the units minimising removes: content lines, or XML tags. */
function unitsOf(fuzzCase: FuzzCase): string[] | undefined {
  const body = fuzzCase.request.body;
  if (body === undefined) return undefined;
  return fuzzCase.kind === 'xml' ? body.split(/(?=<)/) : body.split(/(?<=\n)/);
}

const withUnits = (fuzzCase: FuzzCase, units: string[]): FuzzCase => ({ ...fuzzCase, request: { ...fuzzCase.request, body: units.join('') } });

/**
 * Delta debugging (ddmin) over the body's lines or tags, then over the headers: the smallest case
 * found within `budget` tries that still breaks `invariant`. fast-check's own shrinking works on the
 * generator's choices, which for a mutated document rarely removes the unrelated lines; this does.
 */
export async function minimise(fuzzCase: FuzzCase, invariant: Invariant, breaks: (candidate: FuzzCase) => Promise<Invariant[]>, budget = 40): Promise<FuzzCase> {
  let tries = 0;
  const stillFails = async (candidate: FuzzCase) => {
    tries += 1;
    return (await breaks(candidate)).includes(invariant);
  };
  let best = fuzzCase;
  const initial = unitsOf(fuzzCase);
  if (initial) {
    let units: string[] = initial;
    let parts = 2;
    while (units.length >= 2 && tries < budget) {
      const size = Math.ceil(units.length / parts);
      let reduced = false;
      for (let start = 0; start < units.length && tries < budget; start += size) {
        const candidate: string[] = [...units.slice(0, start), ...units.slice(start + size)];
        if (await stillFails(withUnits(best, candidate))) {
          units = candidate;
          best = withUnits(best, candidate);
          parts = Math.max(parts - 1, 2);
          reduced = true;
          break;
        }
      }
      if (!reduced) {
        if (parts >= units.length) break;
        parts = Math.min(parts * 2, units.length);
      }
    }
  }
  for (const name of Object.keys(best.request.headers)) {
    if (tries >= budget) break;
    const headers = { ...best.request.headers };
    delete headers[name];
    const candidate = { ...best, request: { ...best.request, headers } };
    if (await stillFails(candidate)) best = candidate;
  }
  return best;
}
