import { Readable } from 'node:stream';
import { runCli } from '@davmesh/cli';

/**
 * `davmesh imip receive` with the mail on standard input, as an MTA's pipe runs it against the
 * embedded node of `dataDir` (through its control socket): the exit code, what it printed, and
 * its error output (captured, so a refusal's reason can be checked).
 */
export async function receiveMail(dataDir: string, mail: Buffer, ...args: string[]): Promise<{ code: number; printed: string[]; errors: string }> {
  const printed: string[] = [];
  const errors: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const code = await runCli(['imip', 'receive', ...args], { DAVMESH_DATA: dataDir }, (line) => printed.push(line), Readable.from([mail]));
    return { code, printed, errors: errors.join('') };
  } finally {
    process.stderr.write = write;
  }
}
