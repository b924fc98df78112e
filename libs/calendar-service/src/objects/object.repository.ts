import { Injectable } from '@nestjs/common';
import { type CalendarComponent, type CalendarObject, type CalendarObjectMeta } from '@davmesh/contracts';
import { selectJsonRows, sqlStateOf, SqlRepository, UNIQUE_VIOLATION } from '@davmesh/storage';
import { ACCEPTED, type CarriedRead } from '../folders/folder.repository';

interface MetaRow {
  name: string;
  etag: string;
  size: number;
  /** A Date from the driver, an ISO string from JSON rows. */
  modified_at: Date | string;
  component: CalendarComponent;
  schedule_tag: string | null;
}

export interface StoredObject {
  name: string;
  uid: string;
  component: CalendarComponent;
  etag: string;
  ical: string;
  /** ISO instants or '-infinity' / 'infinity'. */
  firstStart: string;
  lastEnd: string;
  /** ISO date, where read. */
  lastModified?: string;
  /** RFC 6638's Schedule-Tag of a scheduling object resource; null (or absent) for others. */
  scheduleTag?: string | null;
}

/** A user's object found by UID in one of their calendars. */
export interface ObjectCopy extends StoredObject {
  folderId: number;
}

/** A content line naming a participant, as a PostgreSQL regular expression (case-insensitive with ~*). */
const PARTICIPANT_LINE = '(^|\n)(ORGANIZER|ATTENDEE)[;:]';

/** An object's columns and their values ($1 folder, $2 name, ... as `upsertParameters` orders them), for an INSERT. */
const INSERTED = `("folder_id", "name", "uid", "component", "etag", "ical", "size", "first_start", "last_end", "schedule_tag", "modified_at")`;
const INSERTED_VALUES = `$1, $2, $3, $4, $5, $6, $7, $8::timestamptz, $9::timestamptz, $10, now()`;

/** Stores an object, replacing what the name held. */
const UPSERT = `INSERT INTO "calendar"."objects" ${INSERTED} VALUES (${INSERTED_VALUES})
       ON CONFLICT ("folder_id", "name") DO UPDATE SET
         "uid" = EXCLUDED."uid", "component" = EXCLUDED."component", "etag" = EXCLUDED."etag", "ical" = EXCLUDED."ical",
         "size" = EXCLUDED."size", "first_start" = EXCLUDED."first_start", "last_end" = EXCLUDED."last_end",
         "schedule_tag" = EXCLUDED."schedule_tag", "modified_at" = now()`;

const upsertParameters = (folderId: number, object: StoredObject) => [
  folderId,
  object.name,
  object.uid,
  object.component,
  object.etag,
  object.ical,
  Buffer.byteLength(object.ical),
  object.firstStart,
  object.lastEnd,
  object.scheduleTag ?? null,
];

/** A WITH item raising folder $1's revision (its row held to the commit). */
const BUMPED = `bumped AS (UPDATE "calendar"."folders" SET "revision" = "revision" + 1 WHERE "folder_id" = $1 RETURNING "revision")`;

/** A WITH item logging name $2's change at the `bumped` revision, `removed` (SQL: a parameter or a literal) or not, `when` the condition holds. */
const RECORDED = (removed: string, when = 'true') => `recorded AS (INSERT INTO "calendar"."changes" ("folder_id", "name", "revision", "removed")
                           SELECT $1::integer, $2::text, "revision", ${removed}::boolean FROM bumped WHERE ${when}
                         ON CONFLICT ("folder_id", "name") DO UPDATE SET "revision" = EXCLUDED."revision", "removed" = EXCLUDED."removed")`;

/** WITH items raising folder $1's revision and logging name $2's change at it. */
const BUMP_AND_RECORD_AT = (removed: string) => `${BUMPED},
            ${RECORDED(removed)}`;

const META = `"name", "etag", "size", "modified_at", "component", "schedule_tag"`;

function toMeta(row: MetaRow): CalendarObjectMeta {
  const meta: CalendarObjectMeta = { name: row.name, etag: row.etag, size: row.size, lastModified: new Date(row.modified_at).toISOString(), component: row.component };
  return row.schedule_tag ? { ...meta, scheduleTag: row.schedule_tag } : meta;
}

type StoredRow = Omit<StoredObject, 'firstStart' | 'lastEnd' | 'lastModified' | 'scheduleTag'> & {
  first_start: string;
  last_end: string;
  modified_at: string | Date;
  schedule_tag: string | null;
};

/** The columns of a StoredObject, of the objects table under `alias`. */
const storedColumns = (alias = '') =>
  `${alias}"name", ${alias}"uid", ${alias}"component", ${alias}"etag", ${alias}"ical", ${alias}"first_start"::text AS "first_start", ` +
  `${alias}"last_end"::text AS "last_end", ${alias}"modified_at", ${alias}"schedule_tag"`;

function toStored(row: StoredRow): StoredObject {
  return {
    name: row.name,
    uid: row.uid,
    component: row.component,
    etag: row.etag,
    ical: row.ical,
    firstStart: row.first_start,
    lastEnd: row.last_end,
    lastModified: new Date(row.modified_at).toISOString(),
    scheduleTag: row.schedule_tag,
  };
}

/** An object of a multiget; `ical` undefined when the ones asked before it already fill the read. */
export type ReadableObject = Omit<CalendarObject, 'ical'> & { ical?: string };

/** An index candidate with the occurrence span the index holds for it (epoch ms, may be infinite). */
export interface Candidate {
  object: CalendarObject;
  span: { start: number; end: number };
}

/**
 * A write found its object other than it read it (`storeIfUnchanged`): its transaction rolls
 * back and it runs again, its folder's row held from the start.
 */
export class WriteRaced extends Error {
  constructor() {
    super('the object changed while the write ran');
  }
}

type StoredRowWithVersion = StoredRow & { version: string };

export interface StoredAndUidHolder {
  existing?: StoredObject;
  /** The row version (`xmin`) of `existing`. */
  version?: string;
  uidHolder?: string;
}

/** The objects of folder $1 named $first or holding UID $first+1, with their row versions. */
const storedAndUidHolderSelect = (first: number) =>
  `SELECT ${storedColumns()}, "xmin"::text AS "version" FROM "calendar"."objects" WHERE "folder_id" = $1 AND ("name" = $${first} OR "uid" = $${first + 1})`;

function storedAndUidHolder(rows: StoredRowWithVersion[], name: string, uid: string): StoredAndUidHolder {
  const named = rows.find((row) => row.name === name);
  return { existing: named && toStored(named), version: named?.version, uidHolder: rows.find((row) => row.uid === uid)?.name };
}

/** SQL for calendar objects and the change log. */
@Injectable()
export class ObjectRepository extends SqlRepository {
  async page(folderId: number, after: string | undefined, limit: number, window?: { start: string; end: string }): Promise<CalendarObjectMeta[]> {
    const params: unknown[] = [folderId, after ?? '', limit];
    const inWindow = window ? ` AND "first_start" < $4 AND "last_end" >= $5` : '';
    if (window) params.push(window.end, window.start);
    const rows = await selectJsonRows<MetaRow>(
      this.manager,
      `SELECT ${META} FROM "calendar"."objects" WHERE "folder_id" = $1 AND "name" > $2${inWindow} ORDER BY "name" LIMIT $3`,
      params,
      'r."name"',
    );
    return rows.map(toMeta);
  }

  /**
   * The named objects of a folder the user owns or shares, with the access check in the same
   * statement (GET and multiget are the hottest reads); undefined when the folder is not theirs to read.
   * One name (a GET) is a statement of its own. Of several, in the order asked, an object the ones
   * before it already fill `readBytes` with (stored bytes, never more than a reply's JSON) comes
   * back without its body (`ical` undefined): a multiget of large objects reads about one
   * reply's worth, in one statement.
   */
  async getManyReadable(folderId: number, userId: number, names: string[], readBytes: number): Promise<ReadableObject[] | undefined> {
    const objects =
      names.length === 1
        ? `SELECT ${META}, "uid", "ical" FROM "calendar"."objects" WHERE "folder_id" = $1 AND "name" = $3`
        : `SELECT o."name", o."etag", o."size", o."modified_at", o."component", o."schedule_tag", o."uid",
                  CASE WHEN sum(o."size") OVER (ORDER BY a."ord") - o."size" < $4 THEN o."ical" END AS "ical"
             FROM unnest($3::text[]) WITH ORDINALITY AS a("name", "ord")
             JOIN "calendar"."objects" o ON o."folder_id" = $1 AND o."name" = a."name"`;
    const [row]: { readable: boolean; rows: string | null }[] = await this.manager.query(
      `SELECT (f."owner_user_id" = $2 OR EXISTS (SELECT 1 FROM "calendar"."shares" s WHERE s."folder_id" = $1 AND s."grantee_user_id" = $2 AND s."status" = ${ACCEPTED})) AS "readable",
              (SELECT json_agg(r)::text FROM (${objects}) r) AS "rows"
         FROM "calendar"."folders" f WHERE f."folder_id" = $1`,
      names.length === 1 ? [folderId, userId, names[0]] : [folderId, userId, names, readBytes],
    );
    if (!row?.readable) return undefined;
    const rows: (MetaRow & { uid: string; ical: string | null })[] = row.rows ? JSON.parse(row.rows) : [];
    return rows.map((object) => ({ ...toMeta(object), uid: object.uid, ical: object.ical ?? undefined }));
  }

  /**
   * Objects whose occurrence span meets [start, end] (and the window), by name after
   * `after`: the index narrows, the caller evaluates the filter precisely.
   */
  async candidates(
    folderId: number,
    after: string | undefined,
    limit: number,
    range: { start: number; end: number; component?: string },
    window?: { start: string; end: string },
  ): Promise<Candidate[]> {
    const instant = (ms: number) => (ms === -Infinity ? '-infinity' : ms === Infinity ? 'infinity' : new Date(ms).toISOString());
    const params: unknown[] = [folderId, after ?? '', limit, instant(range.end), instant(range.start)];
    let where = `"folder_id" = $1 AND "name" > $2 AND "first_start" <= $4::timestamptz AND "last_end" >= $5::timestamptz`;
    if (range.component) {
      params.push(range.component);
      where += ` AND "component" = $${params.length}`;
    }
    if (window) {
      params.push(window.end, window.start);
      where += ` AND "first_start" < $${params.length - 1} AND "last_end" >= $${params.length}`;
    }
    const rows = await selectJsonRows<MetaRow & { uid: string; ical: string; span_start: string; span_end: string }>(
      this.manager,
      `SELECT ${META}, "uid", "ical",
              (extract(epoch from "first_start") * 1000)::text AS "span_start", (extract(epoch from "last_end") * 1000)::text AS "span_end"
       FROM "calendar"."objects" WHERE ${where} ORDER BY "name" LIMIT $3`,
      params,
      'r."name"',
    );
    return rows.map((row) => ({
      object: { ...toMeta(row), uid: row.uid, ical: row.ical },
      span: { start: Number(row.span_start), end: Number(row.span_end) },
    }));
  }

  /** The object's state for a write's preconditions (the caller holds the folder's row lock). */
  async findForUpdate(folderId: number, name: string): Promise<{ etag: string; lastModified: string } | undefined> {
    const rows: { etag: string; modified_at: string | Date }[] = await this.manager.query(
      `SELECT "etag", "modified_at" FROM "calendar"."objects" WHERE "folder_id" = $1 AND "name" = $2`,
      [folderId, name],
    );
    return rows[0] && { etag: rows[0].etag, lastModified: new Date(rows[0].modified_at).toISOString() };
  }

  async nameHoldingUid(folderId: number, uid: string): Promise<string | undefined> {
    const rows: { name: string }[] = await this.manager.query(`SELECT "name" FROM "calendar"."objects" WHERE "folder_id" = $1 AND "uid" = $2`, [
      folderId,
      uid,
    ]);
    return rows[0]?.name;
  }

  async upsert(folderId: number, object: StoredObject): Promise<void> {
    await this.manager.query(UPSERT, upsertParameters(folderId, object));
  }

  /**
   * `upsert`, then `recordChangeAtNextRevision` of the object, in one statement: a write's
   * round trips are most of its cost over a network. Answers the new revision.
   */
  async upsertAtNextRevision(folderId: number, object: StoredObject): Promise<number> {
    const rows: { revision: string }[] = await this.manager.query(
      `WITH stored AS (${UPSERT}),
            ${BUMP_AND_RECORD_AT('false')}
       SELECT "revision" FROM bumped`,
      upsertParameters(folderId, object),
    );
    return Number(rows[0].revision);
  }

  /**
   * A PUT's store without the folder's row held from its first read: the object stored and the
   * folder's revision raised in one statement, if `name` still holds what the caller read
   * (`version`, the row version `readStoredAndUidHolder` answered, or undefined for no object)
   * and no other name took the UID. The statement takes the folder's row first, so it waits for
   * writers holding it (every other write path takes it before the objects), and what it then
   * finds is the latest commit. Answers the new revision, or undefined when the name or the UID
   * moved since the read (nothing stored; the caller's transaction must end).
   */
  async storeIfUnchanged(folderId: number, object: StoredObject, version: string | undefined): Promise<number | undefined> {
    const stored =
      version === undefined
        ? `INSERT INTO "calendar"."objects" ${INSERTED} SELECT ${INSERTED_VALUES} FROM bumped ON CONFLICT DO NOTHING RETURNING 1`
        : `UPDATE "calendar"."objects" o SET
             "uid" = $3, "component" = $4, "etag" = $5, "ical" = $6, "size" = $7, "first_start" = $8::timestamptz, "last_end" = $9::timestamptz,
             "schedule_tag" = $10, "modified_at" = now()
             FROM bumped WHERE o."folder_id" = $1 AND o."name" = $2 AND o."xmin" = $11::text::xid RETURNING 1`;
    try {
      const rows: { revision: string }[] = await this.manager.query(
        `WITH ${BUMPED}, stored AS (${stored}), ${RECORDED('false', 'EXISTS (SELECT 1 FROM stored)')}
         SELECT "revision" FROM bumped WHERE EXISTS (SELECT 1 FROM stored)`,
        version === undefined ? upsertParameters(folderId, object) : [...upsertParameters(folderId, object), version],
      );
      return rows.length > 0 ? Number(rows[0].revision) : undefined;
    } catch (error) {
      // The UID taken by another name since the read: (folder_id, uid) is unique.
      if (sqlStateOf(error) === UNIQUE_VIOLATION) return undefined;
      throw error;
    }
  }

  async delete(folderId: number, name: string): Promise<void> {
    await this.manager.query(`DELETE FROM "calendar"."objects" WHERE "folder_id" = $1 AND "name" = $2`, [folderId, name]);
  }

  /**
   * A PUT's two questions in one round trip: what `name` holds (with its row version, for
   * `storeIfUnchanged`), and which name holds `uid` in the folder.
   */
  async readStoredAndUidHolder(folderId: number, name: string, uid: string): Promise<StoredAndUidHolder> {
    const rows: StoredRowWithVersion[] = await this.manager.query(storedAndUidHolderSelect(2), [folderId, name, uid]);
    return storedAndUidHolder(rows, name, uid);
  }

  /** `readStoredAndUidHolder`'s SELECT for FolderRepository.accessCarrying, and how to read what it carried back. */
  storedAndUidHolderRead(name: string, uid: string): CarriedRead<StoredRowWithVersion, StoredAndUidHolder> {
    return { select: storedAndUidHolderSelect(3), parameters: [name, uid], answer: (rows) => storedAndUidHolder(rows, name, uid) };
  }

  async readStored(folderId: number, name: string): Promise<StoredObject | undefined> {
    const rows: StoredRow[] = await this.manager.query(`SELECT ${storedColumns()} FROM "calendar"."objects" WHERE "folder_id" = $1 AND "name" = $2`, [folderId, name]);
    return rows[0] && toStored(rows[0]);
  }

  /**
   * Names of the folder's objects with an ORGANIZER or ATTENDEE line (the ones scheduling reads
   * when the folder goes), by name, at most `limit`.
   */
  async participantNames(folderId: number, limit: number): Promise<string[]> {
    const rows: { name: string }[] = await this.manager.query(
      `SELECT "name" FROM "calendar"."objects" WHERE "folder_id" = $1 AND "ical" ~* $2 ORDER BY "name" LIMIT $3`,
      [folderId, PARTICIPANT_LINE, limit],
    );
    return rows.map((row) => row.name);
  }

  /**
   * The objects of this UID in the calendars the user owns (never their schedule inbox), by
   * folder and name: where implicit scheduling finds a user's copy of an event.
   */
  async copiesByUid(ownerUserId: number, uid: string): Promise<ObjectCopy[]> {
    const rows: (StoredRow & { folder_id: number })[] = await this.manager.query(
      `SELECT o."folder_id", ${storedColumns('o.')}
         FROM "calendar"."objects" o JOIN "calendar"."folders" f ON f."folder_id" = o."folder_id"
        WHERE f."owner_user_id" = $1 AND f."default_kind" IS DISTINCT FROM 'inbox' AND o."uid" = $2
        ORDER BY o."folder_id", o."name"`,
      [ownerUserId, uid],
    );
    return rows.map((row) => ({ ...toStored(row), folderId: row.folder_id }));
  }

  /** True when the folder holds an object with this ETag, the same text: a schedule inbox that has a message already. */
  async holdsEtag(folderId: number, etag: string): Promise<boolean> {
    const rows: { held: boolean }[] = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM "calendar"."objects" WHERE "folder_id" = $1 AND "etag" = $2) AS "held"`,
      [folderId, etag],
    );
    return rows[0].held;
  }

  /** A write's change row at the folder's next revision, the folder bumped in the same statement (one round trip); returns that revision. */
  async recordChangeAtNextRevision(folderId: number, name: string, removed: boolean): Promise<number> {
    const rows: { revision: string }[] = await this.manager.query(`WITH ${BUMP_AND_RECORD_AT('$3')} SELECT "revision" FROM bumped`, [folderId, name, removed]);
    return Number(rows[0].revision);
  }

  async recordChange(folderId: number, name: string, revision: number, removed: boolean): Promise<void> {
    await this.manager.query(
      `INSERT INTO "calendar"."changes" ("folder_id", "name", "revision", "removed") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("folder_id", "name") DO UPDATE SET "revision" = EXCLUDED."revision", "removed" = EXCLUDED."removed"`,
      [folderId, name, revision, removed],
    );
  }

  /**
   * A sync's one statement: the folder's revision, whether the user may read it (owner, or an
   * accepted share), and its changes after `since` up to that revision, oldest first, at most
   * `limit` + 1 (to tell truncation). One snapshot, one round trip. Undefined: no such folder
   * for this user.
   */
  async changesSince(
    folderId: number,
    userId: number,
    since: number,
    limit: number,
    window?: { start: string; end: string },
  ): Promise<{ revision: number; changes: { name: string; revision: number; removed: boolean; meta?: CalendarObjectMeta }[] } | undefined> {
    const inWindow = window ? `(o."first_start" < $5::timestamptz AND o."last_end" >= $6::timestamptz)` : 'true';
    // JSON rows: a sync's ten changes are 120 fields, each decoded apart by PGlite.
    const rows = await selectJsonRows<Partial<MetaRow> & { folder_revision: number; change_name: string | null; revision: number; removed: boolean; in_window: boolean }>(
      this.manager,
      `WITH f AS (
         SELECT "revision" FROM "calendar"."folders"
          WHERE "folder_id" = $1 AND ("owner_user_id" = $2 OR EXISTS (
            SELECT 1 FROM "calendar"."shares" s WHERE s."folder_id" = $1 AND s."grantee_user_id" = $2 AND s."status" = ${ACCEPTED})))
       SELECT f."revision" AS "folder_revision", c."name" AS "change_name", c."revision", c."removed", ${inWindow} AS "in_window",
              o."name", o."etag", o."size", o."modified_at", o."component", o."schedule_tag"
       FROM f
       LEFT JOIN LATERAL (
         SELECT "name", "revision", "removed" FROM "calendar"."changes"
          WHERE "folder_id" = $1 AND "revision" > $3 AND "revision" <= f."revision"
          ORDER BY "revision" LIMIT $4
       ) c ON true
       LEFT JOIN "calendar"."objects" o ON o."folder_id" = $1 AND o."name" = c."name"`,
      window ? [folderId, userId, since, limit + 1, window.end, window.start] : [folderId, userId, since, limit + 1],
      'r."revision"',
    );
    if (rows.length === 0) return undefined;
    const changes = rows
      .filter((row) => row.change_name !== null)
      .map((row) => {
        const present = Boolean(row.etag) && !row.removed && row.in_window !== false;
        return { name: row.change_name!, revision: Number(row.revision), removed: !present, meta: present ? toMeta(row as MetaRow) : undefined };
      });
    return { revision: Number(rows[0].folder_revision), changes };
  }
}
