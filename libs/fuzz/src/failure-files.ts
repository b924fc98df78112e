import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FuzzCase } from './fuzz-case';
import { type CaseOutcome } from './invariants';

/** A failing input as saved: enough to read what happened and to replay it (`fuzzCase` is the template). */
export interface FailureFile extends CaseOutcome {
  seed?: number;
  index?: string;
  /** A smaller input that breaks the same invariant, when minimising found one. */
  minimised?: FuzzCase;
}

export function failureFileName(failure: FailureFile): string {
  const invariant = failure.violations[0]?.invariant ?? 'unknown';
  const label = failure.fuzzCase.label.split('+')[0].replace(/[^a-z0-9-]/gi, '');
  return `${failure.fuzzCase.kind}-${invariant}-${label}-${failure.seed ?? 'replay'}-${failure.index ?? Date.now()}.json`;
}

export function writeFailure(dir: string, failure: FailureFile): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, failureFileName(failure));
  writeFileSync(file, `${JSON.stringify(failure, null, 2)}\n`);
  return file;
}

/** Every failure file in a folder, by file name; the case to replay is the minimised one when there is one. */
export function readFailures(dir: string): { file: string; failure: FailureFile; replay: FuzzCase }[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const failure = JSON.parse(readFileSync(join(dir, name), 'utf8')) as FailureFile;
      return { file: name, failure, replay: failure.minimised ?? failure.fuzzCase };
    });
}
