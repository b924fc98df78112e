import { join } from 'node:path';

/** Where an embedded node keeps its PGlite database inside its data directory. */
export function embeddedDatabaseDir(dataDir: string): string {
  return join(dataDir, 'pgdata');
}
