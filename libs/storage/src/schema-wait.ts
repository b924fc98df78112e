import { type DataSource } from 'typeorm';
import { type MigrationPolicy } from './data-source';

export class SchemaWaitTimeout extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaWaitTimeout';
  }
}

/** Names of the migrations a service ships, oldest first (TypeORM orders them by the name's 13-digit timestamp). */
export function shippedMigrations(dataSource: DataSource): string[] {
  const stamp = (name: string) => Number(name.slice(-13)) || 0;
  return dataSource.migrations.map((m) => m.name ?? m.constructor.name).sort((a, b) => stamp(a) - stamp(b));
}

/** Shipped migrations the schema has not applied yet (all of them while the schema or its table is missing). */
export async function pendingMigrations(dataSource: DataSource, schema: string): Promise<string[]> {
  const shipped = shippedMigrations(dataSource);
  const [{ table }] = (await dataSource.query('SELECT to_regclass($1) AS "table"', [`"${schema}"."migrations"`])) as { table: string | null }[];
  if (table === null) return shipped;
  const applied = new Set(((await dataSource.query(`SELECT name FROM "${schema}"."migrations"`)) as { name: string }[]).map((r) => r.name));
  return shipped.filter((name) => !applied.has(name));
}

/**
 * DAVMESH_MIGRATIONS=wait: polls until every migration this build ships is applied to the schema,
 * at most `waitSeconds`; then fails with one line that says what to run.
 */
export async function waitForSchema(
  dataSource: DataSource,
  schema: string,
  policy: Extract<MigrationPolicy, { kind: 'wait' }>,
): Promise<void> {
  const deadline = Date.now() + policy.waitSeconds * 1000;
  const pollMs = policy.pollMs ?? 1000;
  let announced = false;
  for (;;) {
    const pending = await pendingMigrations(dataSource, schema);
    if (pending.length === 0) return;
    if (!announced) {
      policy.onWaiting?.(schema, pending);
      announced = true;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new SchemaWaitTimeout(
        `schema "${schema}" still lacks ${pending.length} migration(s) up to ${pending[pending.length - 1]} after ` +
          `${policy.waitSeconds} s (DAVMESH_MIGRATIONS=wait, DAVMESH_SCHEMA_WAIT_SECONDS): run \`davmesh migrate\` against this DATABASE_URL`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
  }
}
