import { Injectable } from '@nestjs/common';
import { type CalendarComponent, type CalendarFolder, type CalendarSharee, type DeadProperty, type FolderRights } from '@davmesh/contracts';
import { SqlRepository } from '@davmesh/storage';

interface FolderRow {
  folder_id: number;
  owner_user_id: number;
  collection_name: string;
  display_name: string;
  description: string | null;
  color: string | null;
  sort_order: number | null;
  timezone: string | null;
  components: CalendarComponent[];
  revision: string;
  default_kind: 'calendar' | 'tasks' | 'inbox' | null;
  /** The reading user's rights, when the query asked for them; the owner's (write) otherwise. */
  rights?: FolderRights;
}

export interface NewFolder {
  ownerUserId: number;
  collectionName?: string;
  defaultKind?: 'calendar' | 'tasks' | 'inbox';
  displayName: string;
  components: CalendarComponent[];
  description?: string | null;
  color?: string | null;
  order?: number | null;
  timezone?: string | null;
}

export type FolderProps = Partial<Pick<CalendarFolder, 'displayName' | 'description' | 'color' | 'order' | 'timezone'>>;

/** Where each property is stored, on folders and (the personal ones) on shares alike. */
const PROP_COLUMNS: Record<keyof FolderProps, string> = {
  displayName: 'display_name',
  description: 'description',
  color: 'color',
  order: 'sort_order',
  timezone: 'timezone',
};

/** `"column" = $n, …` for the properties given (undefined ones left out), numbered from `first`, and their values. */
export function propAssignments(props: FolderProps, first: number): { sets: string; values: unknown[] } {
  const entries = (Object.keys(props) as (keyof FolderProps)[]).filter((k) => props[k] !== undefined);
  return { sets: entries.map((k, i) => `"${PROP_COLUMNS[k]}" = $${i + first}`).join(', '), values: entries.map((k) => props[k]) };
}

/** A folder as one user may use it: what access checks need, without the dead properties; `inbox` for a schedule inbox. */
export type FolderAccess = Omit<CalendarFolder, 'deadProperties'> & { inbox: boolean };

/** A read another repository carries in its statement: `select` reads with `$1` the folder and its own `parameters` from `$3`. */
export interface CarriedRead<T, A> {
  select: string;
  parameters: unknown[];
  answer(rows: T[]): A;
}

/** A user's schedule inbox, and the calendar they chose as the default for scheduling (null: none, or it is gone). */
export interface InboxRow {
  folder: CalendarFolder;
  scheduleDefaultFolderId: number | null;
}

function toFolder(row: FolderRow, deadProperties: DeadProperty[]): CalendarFolder {
  return {
    folderId: row.folder_id,
    ownerUserId: row.owner_user_id,
    collectionName: row.collection_name,
    displayName: row.display_name,
    description: row.description,
    color: row.color,
    order: row.sort_order,
    timezone: row.timezone,
    components: row.components,
    revision: Number(row.revision),
    rights: row.rights ?? 'write',
    deadProperties,
  };
}

const COLUMNS = `"folder_id", "owner_user_id", "collection_name", "display_name", "description", "color", "sort_order", "timezone", "components", "revision", "default_kind"`;
const INBOX = `'inbox'`;
/** The state of a share that grants access. */
export const ACCEPTED = `'accepted'`;
/** Columns a sharee may set for themselves on a calendar shared by invitation, the same on folders and shares. */
const PERSONAL_COLUMNS = ['display_name', 'description', 'color', 'sort_order'];

/** SQL for calendar folders, their shares and their dead properties. */
@Injectable()
export class FolderRepository extends SqlRepository {
  /**
   * The user's own folders and those shared with them (accepted), each with the user's rights and
   * its sharees as the user may see them (all on their own folders, their own share on another's);
   * never their schedule inbox. On a shared folder, the sharee's own name, description, colour and
   * order stand in for the owner's where they set one (caldav-sharing 5.5.3).
   */
  listVisible(userId: number): Promise<CalendarFolder[]> {
    return this.visible(userId);
  }

  /** One folder as `listVisible` shows it to the user; undefined when it is not among theirs. */
  async visibleTo(folderId: number, userId: number): Promise<CalendarFolder | undefined> {
    return (await this.visible(userId, folderId))[0];
  }

  private async visible(userId: number, folderId?: number): Promise<CalendarFolder[]> {
    const columns = COLUMNS.replaceAll('"', '')
      .split(', ')
      .map((c) => (PERSONAL_COLUMNS.includes(c) ? `CASE WHEN f."owner_user_id" = $1 THEN f."${c}" ELSE COALESCE(s."${c}", f."${c}") END AS "${c}"` : `f."${c}"`))
      .join(', ');
    const rows: (FolderRow & { sharees: string | null })[] = await this.manager.query(
      `SELECT ${columns}, CASE WHEN f."owner_user_id" = $1 THEN 'write' ELSE s."rights" END AS "rights",
              (SELECT json_agg(json_build_object('userId', o."grantee_user_id", 'rights', o."rights", 'status', o."status", 'inviteUid', o."invite_uid",
                                                 'summary', o."summary", 'direct', o."direct") ORDER BY o."grantee_user_id")::text
                 FROM "calendar"."shares" o WHERE o."folder_id" = f."folder_id" AND (f."owner_user_id" = $1 OR o."grantee_user_id" = $1)) AS "sharees"
         FROM "calendar"."folders" f
         LEFT JOIN "calendar"."shares" s ON s."folder_id" = f."folder_id" AND s."grantee_user_id" = $1 AND s."status" = ${ACCEPTED}
        WHERE (f."owner_user_id" = $1 OR s."grantee_user_id" IS NOT NULL) AND f."default_kind" IS DISTINCT FROM ${INBOX}${folderId === undefined ? '' : ' AND f."folder_id" = $2'}
        ORDER BY f."folder_id"`,
      folderId === undefined ? [userId] : [userId, folderId],
    );
    const folders = await this.withDeadProperties(rows);
    return folders.map((folder, i) => {
      const sharees = rows[i].sharees;
      return sharees ? { ...folder, sharees: JSON.parse(sharees) as CalendarSharee[] } : folder;
    });
  }

  /**
   * The folder as one user may use it, without its dead properties, in one statement: undefined when
   * it is neither theirs nor shared with them. `lock` holds the folder row to the transaction's end.
   */
  async access(folderId: number, userId: number, lock = false): Promise<FolderAccess | undefined> {
    return (await this.accessRow(folderId, userId, lock ? ' FOR UPDATE' : '', [], ''))[0];
  }

  /**
   * `access` without the row held, and another read of the folder in the same statement (one
   * round trip less); `carried.answer` gets its rows as JSON values (none when the folder is not theirs).
   */
  async accessCarrying<T, A>(folderId: number, userId: number, carried: CarriedRead<T, A>): Promise<{ folder?: FolderAccess; carried: A }> {
    const [folder, rows] = await this.accessRow(folderId, userId, '', carried.parameters, `, (SELECT json_agg(c)::text FROM (${carried.select}) c) AS "carried"`);
    return { folder, carried: carried.answer(rows ? (JSON.parse(rows) as T[]) : []) };
  }

  private async accessRow(folderId: number, userId: number, lock: string, parameters: unknown[], carried: string): Promise<[FolderAccess | undefined, string | null]> {
    // A scalar subquery, not a join: FOR UPDATE then locks the folder row alone, and PGlite plans it faster.
    const rows: (FolderRow & { carried?: string | null })[] = await this.manager.query(
      `SELECT ${COLUMNS}, CASE WHEN "owner_user_id" = $2 THEN 'write'
                ELSE (SELECT s."rights" FROM "calendar"."shares" s WHERE s."folder_id" = $1 AND s."grantee_user_id" = $2 AND s."status" = ${ACCEPTED}) END AS "rights"${carried}
         FROM "calendar"."folders" WHERE "folder_id" = $1${lock}`,
      [folderId, userId, ...parameters],
    );
    const row = rows[0];
    return row?.rights ? [{ ...toFolder(row, []), inbox: row.default_kind === 'inbox' }, row.carried ?? null] : [undefined, null];
  }

  /** The user's schedule inbox with its dead properties; `lock` holds its row to the transaction's end. */
  async inbox(ownerUserId: number, lock = false): Promise<InboxRow | undefined> {
    const rows: (FolderRow & { schedule_default_folder_id: number | null })[] = await this.manager.query(
      `SELECT ${COLUMNS}, "schedule_default_folder_id" FROM "calendar"."folders"
        WHERE "owner_user_id" = $1 AND "default_kind" = ${INBOX}${lock ? ' FOR UPDATE' : ''}`,
      [ownerUserId],
    );
    const [folder] = await this.withDeadProperties(rows);
    return folder && { folder, scheduleDefaultFolderId: rows[0].schedule_default_folder_id };
  }

  /** The user's schedule inbox, made where it is missing (in the caller's transaction, if any); `lock` as for `inbox`. */
  async ensureInbox(ownerUserId: number, lock = false): Promise<InboxRow> {
    const found = await this.inbox(ownerUserId, lock);
    if (found) return found;
    // A concurrent first use may win the insert: its inbox is the one read back.
    await this.insert({ ownerUserId, defaultKind: 'inbox', displayName: 'Inbox', components: ['VEVENT', 'VTODO', 'VJOURNAL'] });
    return (await this.inbox(ownerUserId, lock))!;
  }

  /** The user's own calendars that hold events, oldest first: where their busy time is, and their default calendar candidates. */
  ownEventCalendars(ownerUserId: number): Promise<{ folderId: number; collectionName: string }[]> {
    return this.ownCalendarsHolding(ownerUserId, 'VEVENT');
  }

  /** The user's own calendars that hold this component, oldest first: where a delivered invitation to a task goes, for one. */
  async ownCalendarsHolding(ownerUserId: number, component: CalendarComponent): Promise<{ folderId: number; collectionName: string }[]> {
    const rows: { folder_id: number; collection_name: string }[] = await this.manager.query(
      `SELECT "folder_id", "collection_name" FROM "calendar"."folders"
        WHERE "owner_user_id" = $1 AND $2 = ANY("components") AND "default_kind" IS DISTINCT FROM ${INBOX}
        ORDER BY "folder_id"`,
      [ownerUserId, component],
    );
    return rows.map((row) => ({ folderId: row.folder_id, collectionName: row.collection_name }));
  }

  async setScheduleDefault(inboxId: number, folderId: number): Promise<void> {
    await this.manager.query(`UPDATE "calendar"."folders" SET "schedule_default_folder_id" = $2 WHERE "folder_id" = $1`, [inboxId, folderId]);
  }

  async find(folderId: number, lock = false): Promise<CalendarFolder | undefined> {
    const rows: FolderRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM "calendar"."folders" WHERE "folder_id" = $1${lock ? ' FOR UPDATE' : ''}`,
      [folderId],
    );
    return (await this.withDeadProperties(rows))[0];
  }

  /** Inserts, or returns undefined when the name (or the default of that kind) exists. */
  async insert(folder: NewFolder): Promise<number | undefined> {
    const [{ id }]: { id: number }[] = await this.manager.query(`SELECT nextval('"calendar"."folder_ids"')::integer AS id`);
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO "calendar"."folders"
         ("folder_id", "owner_user_id", "collection_name", "default_kind", "display_name", "components", "description", "color", "sort_order", "timezone")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT DO NOTHING RETURNING "folder_id"`,
      [
        id,
        folder.ownerUserId,
        folder.collectionName ?? String(id),
        folder.defaultKind ?? null,
        folder.displayName,
        folder.components,
        folder.description ?? null,
        folder.color ?? null,
        folder.order ?? null,
        folder.timezone ?? null,
      ],
    );
    return rows.length > 0 ? id : undefined;
  }

  /** The user's default calendar and task list, in one transaction; each where it is missing. */
  async insertDefaults(ownerUserId: number): Promise<void> {
    await this.manager.transaction(async (tx) => {
      const folders = this.in(tx);
      await folders.insert({ ownerUserId, defaultKind: 'calendar', displayName: 'Calendar', components: ['VEVENT'] });
      await folders.insert({ ownerUserId, defaultKind: 'tasks', displayName: 'Tasks', components: ['VTODO'] });
    });
  }

  async updateProps(folderId: number, props: FolderProps): Promise<void> {
    const { sets, values } = propAssignments(props, 2);
    if (values.length === 0) return;
    await this.manager.query(`UPDATE "calendar"."folders" SET ${sets} WHERE "folder_id" = $1`, [folderId, ...values]);
  }

  async setDead(folderId: number, property: DeadProperty): Promise<void> {
    await this.manager.query(
      `INSERT INTO "calendar"."dead_properties" ("folder_id", "ns", "name", "xml") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("folder_id", "ns", "name") DO UPDATE SET "xml" = EXCLUDED."xml"`,
      [folderId, property.ns, property.name, property.xml],
    );
  }

  async removeDead(folderId: number, ns: string, name: string): Promise<void> {
    await this.manager.query(`DELETE FROM "calendar"."dead_properties" WHERE "folder_id" = $1 AND "ns" = $2 AND "name" = $3`, [folderId, ns, name]);
  }

  async delete(folderId: number): Promise<void> {
    await this.manager.query(`DELETE FROM "calendar"."folders" WHERE "folder_id" = $1`, [folderId]);
  }

  /** Bumps the folder's revision; the caller holds the folder row lock. */
  async bumpRevision(folderId: number): Promise<number> {
    const rows: { revision: string }[] = await this.manager.query(
      `WITH bumped AS (UPDATE "calendar"."folders" SET "revision" = "revision" + 1 WHERE "folder_id" = $1 RETURNING "revision")
       SELECT "revision" FROM bumped`,
      [folderId],
    );
    return Number(rows[0].revision);
  }

  private async withDeadProperties(rows: FolderRow[]): Promise<CalendarFolder[]> {
    if (rows.length === 0) return [];
    const dead: (DeadProperty & { folder_id: number })[] = await this.manager.query(
      `SELECT "folder_id", "ns", "name", "xml" FROM "calendar"."dead_properties" WHERE "folder_id" = ANY($1::integer[]) ORDER BY "ns", "name"`,
      [rows.map((r) => r.folder_id)],
    );
    return rows.map((row) => toFolder(row, dead.filter((d) => d.folder_id === row.folder_id).map(({ ns, name, xml }) => ({ ns, name, xml }))));
  }
}
