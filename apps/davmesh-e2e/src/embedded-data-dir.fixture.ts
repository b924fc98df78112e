import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedDatabaseDir } from '@davmesh/runtime';
import { copyMigratedDataDir } from '@davmesh/service-testing';

/**
 * A data directory for an embedded node (a new temporary one unless given) whose database
 * is already migrated, a copy of the template: the node boots without an initdb and
 * migrations. Specs of the first boot itself (demo seeding, migrations, startup failures)
 * start from an empty directory instead.
 */
export async function migratedDataDir(dataDir = mkdtempSync(join(tmpdir(), 'davmesh-node-'))): Promise<string> {
  await copyMigratedDataDir(embeddedDatabaseDir(dataDir));
  return dataDir;
}
