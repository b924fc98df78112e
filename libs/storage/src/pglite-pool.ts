import { EventEmitter } from 'node:events';
import { type PGlite, type Results } from '@electric-sql/pglite';

interface PgResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: { name: string; dataTypeID: number }[];
}

type QueryCallback = (err: Error | null, result?: PgResult) => void;
type ConnectCallback = (err: Error | null, connection?: PGliteConnection, release?: (err?: Error) => void) => void;

/**
 * One PGlite database is one session, so a connection is handed out exclusively until
 * released: a transaction of one service never interleaves with another's statements.
 */
class SessionMutex {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return acquired;
  }
}

const mutexes = new WeakMap<PGlite, SessionMutex>();

class PGliteConnection extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<PgResult> {
    const cb = typeof params === 'function' ? params : callback;
    const values = Array.isArray(params) ? params : [];
    const run = values.length > 0 ? this.db.query(sql, values) : this.db.exec(sql).then((all) => all[all.length - 1]);
    const result = run.then((raw) => toPgResult(sql, raw));
    if (cb) result.then((r) => cb(null, r), (e: Error) => cb(e));
    return result;
  }
}

function toPgResult(sql: string, raw: Results<unknown> | undefined): PgResult {
  const rows = raw?.rows ?? [];
  const command = sql.trimStart().split(/\s+/, 1)[0]?.toUpperCase() ?? '';
  return {
    rows,
    rowCount: raw?.affectedRows || rows.length,
    command,
    fields: (raw?.fields ?? []).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
  };
}

/** The subset of `pg.Pool` TypeORM's postgres driver uses, over one PGlite instance. */
export class PGlitePool extends EventEmitter {
  private readonly db: PGlite;
  private readonly mutex: SessionMutex;

  constructor(options: { pglite: PGlite }) {
    super();
    this.db = options.pglite;
    let mutex = mutexes.get(this.db);
    if (!mutex) {
      mutex = new SessionMutex();
      mutexes.set(this.db, mutex);
    }
    this.mutex = mutex;
  }

  connect(callback: ConnectCallback): void {
    this.mutex.acquire().then(
      (release) => {
        let released = false;
        callback(null, new PGliteConnection(this.db), () => {
          if (released) return;
          released = true;
          release();
        });
      },
      (error: Error) => callback(error),
    );
  }

  /** The PGlite instance belongs to the process, not to one data source: closing a pool leaves it open. */
  end(callback?: (err?: Error) => void): void {
    callback?.();
  }
}

/** Passed to TypeORM as `driver`, in place of the `pg` module. */
export const pglitePgModule = { Pool: PGlitePool };
