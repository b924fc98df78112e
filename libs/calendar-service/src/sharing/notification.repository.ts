import { Injectable } from '@nestjs/common';
import { type CalendarNotification, type NotificationMeta, type NotificationType, type SharingNotification } from '@davmesh/contracts';
import { SqlRepository } from '@davmesh/storage';

interface MetaRow {
  name: string;
  revision: string;
  type: NotificationType;
  written_at: string;
}

/** A change of the collection: a notification written, or (no type) one removed. */
interface ChangeRow {
  name: string;
  revision: string;
  type: NotificationType | null;
  written_at: string;
}

/** The names of removed notifications kept per user, for sync-collection; older removals move the floor. */
const REMOVALS_KEPT = 1000;

/** A notification's ETag: its user's collection revision when it was written, which never comes back. */
export const notificationEtag = (revision: number | string) => `n${revision}`;

const META = `"name", "revision", "type", "written_at"`;

function toMeta(row: MetaRow): NotificationMeta {
  return { name: row.name, etag: notificationEtag(row.revision), type: row.type, lastModified: new Date(row.written_at).toISOString() };
}

/**
 * SQL for each user's notification collection. Every write raises the user's collection revision
 * (its row held to the transaction's end, so revisions follow commit order) and stamps the name with
 * it; a removed notification keeps its name and revision, without content, as the change log.
 */
@Injectable()
export class NotificationRepository extends SqlRepository {
  /** The collection's revision, and the oldest revision a sync may start from. */
  async revision(userId: number): Promise<{ revision: number; floor: number }> {
    const rows: { revision: string; floor_revision: string }[] = await this.manager.query(
      `SELECT "revision", "floor_revision" FROM "calendar"."notification_homes" WHERE "user_id" = $1`,
      [userId],
    );
    return rows[0] ? { revision: Number(rows[0].revision), floor: Number(rows[0].floor_revision) } : { revision: 0, floor: 0 };
  }

  /** Writes (or replaces) the notification; beyond `keep` notifications the oldest are removed. Answers the new revision. */
  async write(userId: number, name: string, content: SharingNotification, keep: number): Promise<number> {
    const revision = await this.nextRevision(userId);
    await this.manager.query(
      `INSERT INTO "calendar"."notifications" ("user_id", "name", "revision", "type", "content", "written_at") VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT ("user_id", "name") DO UPDATE SET "revision" = EXCLUDED."revision", "type" = EXCLUDED."type", "content" = EXCLUDED."content", "written_at" = EXCLUDED."written_at"`,
      [userId, name, revision, content.type, JSON.stringify(content)],
    );
    await this.manager.query(
      `UPDATE "calendar"."notifications" SET "type" = NULL, "content" = NULL, "revision" = $2
        WHERE "user_id" = $1 AND "name" IN (
          SELECT "name" FROM "calendar"."notifications" WHERE "user_id" = $1 AND "type" IS NOT NULL ORDER BY "revision" DESC OFFSET $3)`,
      [userId, revision, keep],
    );
    await this.forgetOldRemovals(userId);
    return revision;
  }

  /** Removes the notification; undefined when the user has none of that name. */
  async remove(userId: number, name: string): Promise<number | undefined> {
    if (!(await this.find(userId, name))) return undefined;
    const revision = await this.nextRevision(userId);
    await this.manager.query(`UPDATE "calendar"."notifications" SET "type" = NULL, "content" = NULL, "revision" = $3 WHERE "user_id" = $1 AND "name" = $2`, [
      userId,
      name,
      revision,
    ]);
    await this.forgetOldRemovals(userId);
    return revision;
  }

  async find(userId: number, name: string): Promise<NotificationMeta | undefined> {
    const rows: MetaRow[] = await this.manager.query(`SELECT ${META} FROM "calendar"."notifications" WHERE "user_id" = $1 AND "name" = $2 AND "type" IS NOT NULL`, [
      userId,
      name,
    ]);
    return rows[0] && toMeta(rows[0]);
  }

  /** Present notifications by name after `after`. */
  async page(userId: number, after: string | undefined, limit: number): Promise<NotificationMeta[]> {
    const rows: MetaRow[] = await this.manager.query(
      `SELECT ${META} FROM "calendar"."notifications" WHERE "user_id" = $1 AND "type" IS NOT NULL AND "name" > $2 ORDER BY "name" LIMIT $3`,
      [userId, after ?? '', limit],
    );
    return rows.map(toMeta);
  }

  async get(userId: number, names: string[]): Promise<CalendarNotification[]> {
    const rows: (MetaRow & { content: string })[] = await this.manager.query(
      `SELECT ${META}, "content" FROM "calendar"."notifications" WHERE "user_id" = $1 AND "name" = ANY($2::text[]) AND "type" IS NOT NULL`,
      [userId, names],
    );
    return rows.map((row) => ({ ...toMeta(row), content: JSON.parse(row.content) as SharingNotification }));
  }

  /** Changes after `since` up to `until`, in revision order, at most `limit` (and one more, to tell there are more). */
  async changesSince(userId: number, since: number, until: number, limit: number): Promise<{ revision: number; name: string; meta?: NotificationMeta }[]> {
    const rows: ChangeRow[] = await this.manager.query(
      `SELECT ${META} FROM "calendar"."notifications" WHERE "user_id" = $1 AND "revision" > $2 AND "revision" <= $3 ORDER BY "revision", "name" LIMIT $4`,
      [userId, since, until, limit + 1],
    );
    return rows.map((row) => ({ revision: Number(row.revision), name: row.name, ...(row.type ? { meta: toMeta({ ...row, type: row.type }) } : {}) }));
  }

  /** Raises the user's revision, making their collection on first use; the row stays held until the transaction ends. */
  private async nextRevision(userId: number): Promise<number> {
    const rows: { revision: string }[] = await this.manager.query(
      `WITH raised AS (
         INSERT INTO "calendar"."notification_homes" ("user_id", "revision") VALUES ($1, 1)
         ON CONFLICT ("user_id") DO UPDATE SET "revision" = "notification_homes"."revision" + 1
         RETURNING "revision")
       SELECT "revision" FROM raised`,
      [userId],
    );
    return Number(rows[0].revision);
  }

  /** Keeps the names of the last REMOVALS_KEPT removals; a sync from before the ones dropped starts over. */
  private async forgetOldRemovals(userId: number): Promise<void> {
    await this.manager.query(
      `WITH dropped AS (
         DELETE FROM "calendar"."notifications" WHERE "user_id" = $1 AND "type" IS NULL AND "revision" <= (
           SELECT "revision" FROM "calendar"."notifications" WHERE "user_id" = $1 AND "type" IS NULL ORDER BY "revision" DESC OFFSET $2 LIMIT 1)
         RETURNING "revision")
       UPDATE "calendar"."notification_homes" SET "floor_revision" = GREATEST("floor_revision", (SELECT max("revision") FROM dropped))
        WHERE "user_id" = $1 AND EXISTS (SELECT 1 FROM dropped)`,
      [userId, REMOVALS_KEPT],
    );
  }
}
