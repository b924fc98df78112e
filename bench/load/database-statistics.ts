import { Client } from 'pg';
import { TEST_PG_ADMIN_URL } from '@davmesh/testing';

/** One statement on the shared PostgreSQL as its admin, in `database` (by default the admin URL's own). */
export async function adminQuery(sql: string, database?: string): Promise<void> {
  const url = new URL(TEST_PG_ADMIN_URL);
  if (database) url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * ANALYZE on one database of the shared PostgreSQL after seeding: what autovacuum does after a
 * bulk load, within a minute, on a server with its defaults. The machine's server may run with
 * autovacuum off (the CI configuration does), and without statistics the planner only guesses.
 */
export function analyzeDatabase(database: string): Promise<void> {
  return adminQuery('ANALYZE', database);
}
