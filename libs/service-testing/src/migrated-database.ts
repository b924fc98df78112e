import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type PGlite } from '@electric-sql/pglite';
import { CALENDAR_SERVICE_SCHEMA } from '@davmesh/calendar-service';
import { CONFIG_SERVICE_SCHEMA } from '@davmesh/config-service';
import { CONTACTS_SERVICE_SCHEMA } from '@davmesh/contacts-service';
import { openPGlite, openServiceDataSource, type ServiceSchema } from '@davmesh/storage';

/**
 * A new PGlite database costs an initdb and every migration: most of an embedded node's
 * boot. Specs instead start from a copy of one data directory made once: every service's
 * schema migrated, no rows. It is kept in the temporary directory under a name derived
 * from the migrations' code and the PGlite version, so a changed migration makes a new one.
 */
const SERVICE_SCHEMAS: ServiceSchema[] = [CONFIG_SERVICE_SCHEMA, CALENDAR_SERVICE_SCHEMA, CONTACTS_SERVICE_SCHEMA];

function migratedDataDirTemplate(): { path: string; exists: boolean } {
  const hash = createHash('sha256');
  const pglitePackage = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  hash.update(JSON.parse(readFileSync(pglitePackage, 'utf8')).version as string);
  for (const service of SERVICE_SCHEMAS) {
    hash.update(service.schema);
    for (const migration of service.migrations as { name: string; toString(): string }[]) hash.update(`${migration.name}\n${migration.toString()}`);
  }
  const path = join(tmpdir(), `davmesh-test-pgdata-${hash.digest('hex').slice(0, 16)}`);
  return { path, exists: existsSync(join(path, 'PG_VERSION')) };
}

let building: Promise<string> | undefined;

async function buildTemplate(path: string): Promise<string> {
  const scratch = mkdtempSync(`${path}-building-`);
  const db = await openPGlite(scratch);
  try {
    for (const service of SERVICE_SCHEMAS) await (await openServiceDataSource({ kind: 'pglite', db }, service)).destroy();
  } finally {
    await db.close();
  }
  try {
    renameSync(scratch, path);
  } catch {
    // Another worker finished first: its copy is as good as ours.
    rmSync(scratch, { recursive: true, force: true });
  }
  return path;
}

/** The template's path, made on first use (by whichever Jest worker gets there first). */
function template(): Promise<string> {
  const { path, exists } = migratedDataDirTemplate();
  if (exists) return Promise.resolve(path);
  building ??= buildTemplate(path).finally(() => (building = undefined));
  return building;
}

/** Fills `dataDir` (which must not exist yet) with a migrated, empty PGlite data directory. */
export async function copyMigratedDataDir(dataDir: string): Promise<void> {
  cpSync(await template(), dataDir, { recursive: true });
}

export interface MigratedDatabase {
  db: PGlite;
  /** Closes the database and removes its directory. */
  close(): Promise<void>;
}

/** A migrated, empty PGlite database in a directory of its own. */
export async function openMigratedPGlite(): Promise<MigratedDatabase> {
  const root = mkdtempSync(join(tmpdir(), 'davmesh-pglite-'));
  await copyMigratedDataDir(join(root, 'pgdata'));
  const db = await openPGlite(join(root, 'pgdata'));
  return {
    db,
    async close() {
      await db.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
