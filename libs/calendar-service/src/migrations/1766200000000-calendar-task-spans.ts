import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { readCalendarObject } from '@davmesh/ical';
import { spanColumns } from '../objects/span-columns';

/** Tasks read per round: objects may be up to 1 MiB each, so a round stays small. */
export const TASK_SPAN_BATCH = 100;

/**
 * Recomputes the indexed occurrence span of every task with the span code of today: a task
 * not yet done is open-ended now, so the sync window keeps an overdue open task visible.
 * Only the index changes, not the data: no ETag, revision or change-log row moves. A row
 * the library cannot read any more keeps the span it has.
 */
export class CalendarTaskSpans1766200000000 implements MigrationInterface {
  name = 'CalendarTaskSpans1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    let after: { folderId: number; name: string } = { folderId: -1, name: '' };
    for (;;) {
      const rows: { folder_id: number; name: string; ical: string }[] = await queryRunner.query(
        `SELECT "folder_id", "name", "ical" FROM "calendar"."objects"
          WHERE "component" = 'VTODO' AND ("folder_id", "name") > ($1, $2)
          ORDER BY "folder_id", "name" LIMIT $3`,
        [after.folderId, after.name, TASK_SPAN_BATCH],
      );
      if (rows.length === 0) return;
      const spans = rows.flatMap((row) => {
        const span = spanOf(row.ical);
        return span ? [{ folderId: row.folder_id, name: row.name, ...span }] : [];
      });
      if (spans.length > 0) {
        await queryRunner.query(
          `UPDATE "calendar"."objects" o SET "first_start" = v."first_start", "last_end" = v."last_end"
             FROM unnest($1::integer[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS v("folder_id", "name", "first_start", "last_end")
            WHERE o."folder_id" = v."folder_id" AND o."name" = v."name"
              AND (o."first_start", o."last_end") IS DISTINCT FROM (v."first_start", v."last_end")`,
          [spans.map((s) => s.folderId), spans.map((s) => s.name), spans.map((s) => s.firstStart), spans.map((s) => s.lastEnd)],
        );
      }
      const last = rows[rows.length - 1];
      after = { folderId: last.folder_id, name: last.name };
      if (rows.length < TASK_SPAN_BATCH) return;
    }
  }

  /** The spans of today stay right for the code of before: nothing to undo. */
  async down(): Promise<void> {}
}

function spanOf(ical: string): { firstStart: string; lastEnd: string } | undefined {
  try {
    return spanColumns(readCalendarObject(ical).span);
  } catch {
    return undefined;
  }
}
