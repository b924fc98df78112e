import { Client } from 'pg';
import { TEST_PG_ADMIN_URL } from '@davmesh/testing';

/**
 * ANALYZE on one database of the shared PostgreSQL after seeding: what autovacuum does after a
 * bulk load, within a minute, on a server with its defaults. The machine's server may run with
 * autovacuum off (the CI configuration does), and without statistics the planner only guesses.
 */
export async function analyzeDatabase(database: string): Promise<void> {
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
