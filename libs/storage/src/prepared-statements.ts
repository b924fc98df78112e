/** Statements a database session keeps prepared at most, on PGlite (`PGliteStatements`) and on PostgreSQL (`NamedStatementClient`). */
export const PREPARED_STATEMENT_LIMIT = 256;

/** PostgreSQL's "cached plan must not change result type": a prepared statement outlived its table's shape. */
export const PLAN_RESULT_TYPE_CHANGED = '0A000';
