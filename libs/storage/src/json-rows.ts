/** Anything that runs SQL: a DataSource, or the EntityManager of a transaction. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Runs a SELECT and decodes all its rows from one JSON value. A driver decodes every field
 * of every row on its own (PGlite's decoder is slow at it); one `json_agg` text is one field,
 * and JSON.parse is native. Timestamps arrive as ISO strings, bigints as numbers. `orderBy`
 * orders the rows inside the aggregate (columns of the SELECT, as `r."name"`).
 */
export async function selectJsonRows<T>(db: SqlRunner, select: string, parameters: unknown[], orderBy?: string): Promise<T[]> {
  const rows = (await db.query(`SELECT json_agg(r${orderBy ? ` ORDER BY ${orderBy}` : ''})::text AS "rows" FROM (${select}) r`, parameters)) as {
    rows: string | null;
  }[];
  return rows[0]?.rows ? (JSON.parse(rows[0].rows) as T[]) : [];
}
