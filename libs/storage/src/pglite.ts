import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';

/** Opens (or creates) an embedded database; `dataDir` undefined keeps it in memory. */
export async function openPGlite(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Return int8 and numeric as strings, as `pg` does, so code behaves the same on both.
  return PGlite.create({
    dataDir,
    parsers: { [types.INT8]: (value: string) => value, [types.NUMERIC]: (value: string) => value },
  });
}
