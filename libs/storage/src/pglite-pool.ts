import { EventEmitter } from 'node:events';
import { type PGlite, type Results } from '@electric-sql/pglite';
import { type Logger } from '@davmesh/logging';
import { PGliteStatements } from './pglite-statements';
import { PGliteUpkeep, type UpkeepThresholds } from './pglite-upkeep';

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

interface SharedSession {
  mutex: SessionMutex;
  statements: PGliteStatements;
  upkeep?: PGliteUpkeep;
}

const sessions = new WeakMap<PGlite, SharedSession>();

function sessionOf(db: PGlite): SharedSession {
  let session = sessions.get(db);
  if (!session) {
    session = { mutex: new SessionMutex(), statements: new PGliteStatements(db) };
    sessions.set(db, session);
  }
  return session;
}

/**
 * Keeps the database's planner statistics and free space up to date from now on, as autovacuum
 * would (`PGliteUpkeep`); for a database that serves, not for one a test throws away.
 */
export function keepPGliteUp(db: PGlite, logger: Logger, thresholds?: Partial<UpkeepThresholds>): PGliteUpkeep {
  const session = sessionOf(db);
  if (!session.upkeep) {
    session.upkeep = new PGliteUpkeep(db, () => session.mutex.acquire(), logger, thresholds);
    session.upkeep.start();
  }
  return session.upkeep;
}

class PGliteConnection extends EventEmitter {
  constructor(
    private readonly db: PGlite,
    private readonly session: SharedSession,
  ) {
    super();
  }

  query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<PgResult> {
    const cb = typeof params === 'function' ? params : callback;
    const values = Array.isArray(params) ? params : [];
    const run = values.length > 0 ? this.session.statements.query(sql, values) : this.db.exec(sql).then((all) => all[all.length - 1]);
    const result = run.then((raw) => {
      const answer = toPgResult(sql, raw);
      if (answer.command !== 'SELECT') this.session.upkeep?.noteWrite(sql, answer.rowCount);
      return answer;
    });
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
  private readonly session: SharedSession;

  constructor(options: { pglite: PGlite }) {
    super();
    this.db = options.pglite;
    this.session = sessionOf(this.db);
  }

  connect(callback: ConnectCallback): void {
    this.session.mutex.acquire().then(
      (release) => {
        let released = false;
        callback(null, new PGliteConnection(this.db, this.session), () => {
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
