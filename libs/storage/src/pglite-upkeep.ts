import { type PGlite } from '@electric-sql/pglite';
import { type Logger } from '@davmesh/logging';

const IDENTIFIER = /"[^"]+"|[^."]+/g;

/** `schema.table` or `table` (as stored in the catalog) quoted for SQL. */
const quoted = (name: string) =>
  name
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');

/** The tables a data-changing statement writes: what follows INSERT INTO, UPDATE and DELETE FROM (also inside WITH). */
const WRITTEN_TABLE = /\b(?:INSERT\s+INTO|(?<!\b(?:DO|FOR)\s+)UPDATE|DELETE\s+FROM)\s+((?:"[^"]+"|[a-z_][\w$]*)(?:\.(?:"[^"]+"|[a-z_][\w$]*))?)/gi;

export interface UpkeepThresholds {
  /** A table is due once this many of its rows changed, plus `scaleFactor` of the rows it had (autovacuum's defaults: 50 and 0.2). */
  baseChanges: number;
  scaleFactor: number;
  /** Never two runs closer than this: a bulk load makes one run at its end rather than one per step of growth. */
  minIntervalMs: number;
}

const DEFAULT_THRESHOLDS: UpkeepThresholds = { baseChanges: 50, scaleFactor: 0.2, minIntervalMs: 10_000 };

interface TableState {
  changed: number;
  /** Rows at the last run (pg_class.reltuples); 0 before the first. */
  rows: number;
}

/**
 * Autovacuum for an embedded database. PGlite is PostgreSQL in single-user mode: no
 * autovacuum launcher runs and no table ever gets planner statistics or has its dead rows
 * reclaimed unless someone asks. Without statistics the planner guesses, and guessed wrong on
 * hot reads (a 50-name address book multiget walked every contact of the folder); without
 * VACUUM every non-HOT update leaves its old row and index entries behind for good.
 *
 * Counts the rows each write statement changes, by table, and runs `VACUUM (ANALYZE)` on the
 * tables past autovacuum's thresholds, holding the session as a transaction would (so never
 * inside one), at most once per `minIntervalMs`. At start, tables never analyzed get it once.
 */
export class PGliteUpkeep {
  private readonly tables = new Map<string, TableState>();
  private readonly thresholds: UpkeepThresholds;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastRunAt = -Infinity;
  private stopped = false;

  constructor(
    private readonly db: PGlite,
    private readonly holdSession: () => Promise<() => void>,
    private readonly logger: Logger,
    thresholds: Partial<UpkeepThresholds> = {},
  ) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
  }

  /** At start: statistics for every table that has none yet. */
  start(): void {
    this.begin(async () => {
      const { rows } = await this.db.query<{ name: string }>(
        `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind = 'r' AND c.reltuples < 0 AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`,
      );
      return rows.map((r) => r.name);
    });
  }

  /** A statement changed `rows` rows (0 when PostgreSQL does not say: then one change per table it writes). */
  noteWrite(sql: string, rows: number): void {
    if (this.stopped) return;
    let due = false;
    for (const [, table] of sql.matchAll(WRITTEN_TABLE)) {
      const key = table.match(IDENTIFIER)!.map((part) => (part.startsWith('"') ? part.slice(1, -1) : part.toLowerCase())).join('.');
      const state = this.tables.get(key) ?? { changed: 0, rows: 0 };
      state.changed += Math.max(rows, 1);
      this.tables.set(key, state);
      due ||= this.isDue(state);
    }
    if (due && !this.running && !this.timer) this.schedule();
  }

  /** Resolves when no run is under way or waiting. */
  async idle(): Promise<void> {
    while (this.running || this.timer) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.launch();
      }
      await this.running;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private isDue(state: TableState): boolean {
    return state.changed >= this.thresholds.baseChanges + this.thresholds.scaleFactor * state.rows;
  }

  private due(): string[] {
    return [...this.tables].filter(([, state]) => this.isDue(state)).map(([name]) => name);
  }

  private schedule(): void {
    const wait = Math.max(0, this.lastRunAt + this.thresholds.minIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.launch();
    }, wait);
    this.timer.unref();
  }

  private launch(): void {
    if (!this.stopped && !this.running) this.begin(async () => this.due());
  }

  /** A run of the tables `pick` names; tables that came due meanwhile get the next one. */
  private begin(pick: () => Promise<string[]>): void {
    this.running = this.run(pick).finally(() => {
      this.running = undefined;
      if (!this.stopped && !this.timer && this.due().length > 0) this.schedule();
    });
  }

  private async run(pick: () => Promise<string[]>): Promise<void> {
    const release = await this.holdSession();
    const started = Date.now();
    let picked: string[] = [];
    try {
      picked = await pick();
      if (picked.length === 0) return;
      const existing = [...(await this.rowsOf(picked)).keys()];
      for (const name of picked) if (!existing.includes(name)) this.tables.delete(name);
      if (existing.length === 0) return;
      await this.db.exec(`VACUUM (ANALYZE) ${existing.map(quoted).join(', ')}`);
      for (const [name, rows] of await this.rowsOf(existing)) this.tables.set(name, { changed: 0, rows: Math.max(rows, 0) });
      this.logger.info({ tables: existing, ms: Date.now() - started }, 'embedded database vacuumed and analyzed');
    } catch (error) {
      // The database closing, most likely: the next run tries again.
      for (const name of picked) this.tables.delete(name);
      this.logger.warn({ tables: picked, error: (error as Error).message }, 'embedded database upkeep failed');
    } finally {
      this.lastRunAt = Date.now();
      release();
    }
  }

  /** Of the names, those of ordinary tables that exist, with their rows as the catalog counts them (-1: never counted). */
  private async rowsOf(names: string[]): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ name: string; rows: number }>(
      `SELECT t AS name, c.reltuples::float8 AS rows FROM unnest($1::text[], $2::text[]) AS n(t, q) JOIN pg_class c ON c.oid = to_regclass(q) WHERE c.relkind = 'r'`,
      [names, names.map(quoted)],
    );
    return new Map(rows.map((r) => [r.name, r.rows]));
  }
}
