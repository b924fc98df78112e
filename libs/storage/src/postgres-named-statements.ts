import { Client } from 'pg';
import { PLAN_RESULT_TYPE_CHANGED, PREPARED_STATEMENT_LIMIT } from './prepared-statements';

const namesByText = new Map<string, string>();

/** The first PREPARED_STATEMENT_LIMIT texts of a process are named; any beyond run unnamed, so a text built at run time cannot grow every backend. */
function nameOf(text: string): string | undefined {
  let name = namesByText.get(text);
  if (name === undefined && namesByText.size < PREPARED_STATEMENT_LIMIT) {
    name = `davmesh_${namesByText.size}`;
    namesByText.set(text, name);
  }
  return name;
}

/**
 * A pool client that runs parameterised statements as named prepared statements: each text is
 * parsed once per connection, and PostgreSQL's plan cache may settle on a generic plan instead
 * of planning every call (node-postgres's unnamed statements are parsed and planned each time).
 * Statements without parameters (BEGIN, COMMIT, DDL) stay simple queries.
 *
 * A statement whose table changed shape under it (a migration by a newer replica) fails once
 * with 0A000; this connection then names its statements afresh, so the next call prepares anew.
 */
export class NamedStatementClient extends Client {
  private namespace = '';
  private renamed = 0;

  // node-postgres's overloads do not survive an override; TypeORM calls query(text, values).
  override query(config: unknown, values?: unknown, callback?: unknown): never {
    const name = typeof config === 'string' && Array.isArray(values) && values.length > 0 ? nameOf(config) : undefined;
    if (name === undefined || typeof callback === 'function') return (super.query as (...args: unknown[]) => never)(config, values, callback);
    const result = super.query({ name: `${name}${this.namespace}`, text: config as string, values: values as unknown[] });
    return result.catch((error: { code?: string }) => {
      if (error.code === PLAN_RESULT_TYPE_CHANGED) this.namespace = `_r${++this.renamed}`;
      throw error;
    }) as never;
  }
}
