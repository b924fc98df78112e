import { Injectable } from '@nestjs/common';
import { isConfigKey, type ConfigKey, type ConfigValue } from '@davmesh/contracts';
import { SqlRepository } from '@davmesh/storage';

export type StoredScope = 'context' | 'user';

export interface StoredRow {
  scope: StoredScope;
  scopeId: number;
  key: ConfigKey;
  value: ConfigValue;
}

// Wrapped in a CTE so the statement is a SELECT: TypeORM answers a bare UPDATE ... RETURNING
// with [rows, count] instead of rows.
const BUMP_REVISION = `WITH bumped AS (
  UPDATE "config"."revision" SET "revision" = "revision" + 1 WHERE "id" = 1 RETURNING "revision"
) SELECT "revision" FROM bumped`;

/** Context- and user-level values, and the global configuration revision. */
@Injectable()
export class StoredValuesRepository extends SqlRepository {
  async revision(): Promise<number> {
    const rows: { revision: string }[] = await this.manager.query(`SELECT "revision" FROM "config"."revision" WHERE "id" = 1`);
    return Number(rows[0].revision);
  }

  /** The values stored for a user and for their context, in one query. */
  async forUser(userId: number, contextId: number): Promise<StoredRow[]> {
    const rows: { scope: StoredScope; scope_id: number; key: string; value: ConfigValue }[] = await this.manager.query(
      `SELECT "scope", "scope_id", "key", "value" FROM "config"."stored_values"
       WHERE ("scope" = 'user' AND "scope_id" = $1) OR ("scope" = 'context' AND "scope_id" = $2)`,
      [userId, contextId],
    );
    return rows.filter((r) => isConfigKey(r.key)).map((r) => ({ scope: r.scope, scopeId: r.scope_id, key: r.key as ConfigKey, value: r.value }));
  }

  async list(scope: StoredScope, scopeId: number): Promise<StoredRow[]> {
    const rows: { key: string; value: ConfigValue }[] = await this.manager.query(
      `SELECT "key", "value" FROM "config"."stored_values" WHERE "scope" = $1 AND "scope_id" = $2 ORDER BY "key"`,
      [scope, scopeId],
    );
    return rows.filter((r) => isConfigKey(r.key)).map((r) => ({ scope, scopeId, key: r.key as ConfigKey, value: r.value }));
  }

  /** Stores the value and bumps the revision in the caller's transaction; returns the new revision. */
  async set(scope: StoredScope, scopeId: number, key: ConfigKey, value: ConfigValue): Promise<number> {
    await this.manager.query(
      `INSERT INTO "config"."stored_values" ("scope", "scope_id", "key", "value") VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT ("scope", "scope_id", "key") DO UPDATE SET "value" = EXCLUDED."value", "updated_at" = now()`,
      [scope, scopeId, key, JSON.stringify(value)],
    );
    return this.bumpRevision();
  }

  /** Removes the value in the caller's transaction; bumps the revision only when something was removed. */
  async unset(scope: StoredScope, scopeId: number, key: ConfigKey): Promise<{ revision: number; removed: boolean }> {
    const deleted: unknown[] = await this.manager.query(
      `WITH gone AS (
         DELETE FROM "config"."stored_values" WHERE "scope" = $1 AND "scope_id" = $2 AND "key" = $3 RETURNING "key"
       ) SELECT "key" FROM gone`,
      [scope, scopeId, key],
    );
    if (deleted.length === 0) return { revision: await this.revision(), removed: false };
    return { revision: await this.bumpRevision(), removed: true };
  }

  /** Raises the configuration revision in the caller's transaction (a server file changed); returns the new one. */
  async bumpRevision(): Promise<number> {
    const rows: { revision: string }[] = await this.manager.query(BUMP_REVISION);
    return Number(rows[0].revision);
  }
}
