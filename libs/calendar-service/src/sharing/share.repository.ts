import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type CalendarSharee, type FolderRights, type ShareStatus } from '@davmesh/contracts';
import { SqlRepository } from '@davmesh/storage';
import { propAssignments, type FolderProps } from '../folders/folder.repository';

/** What a sharee sets for themselves on a calendar shared with them by invitation (caldav-sharing 5.5.3); null: the owner's again. */
export type PersonalProps = Pick<FolderProps, 'displayName' | 'description' | 'color' | 'order'>;

/** A share row: the sharee's side of one calendar. */
export interface ShareRow extends CalendarSharee {
  folderId: number;
}

/** What a share is to become; the invitation's uid stays what it was. */
export type ShareState = Pick<CalendarSharee, 'rights' | 'status' | 'direct' | 'summary'>;

interface Row {
  folder_id: number;
  grantee_user_id: number;
  rights: FolderRights;
  status: ShareStatus;
  invite_uid: string;
  summary: string | null;
  direct: boolean;
}

const COLUMNS = `"folder_id", "grantee_user_id", "rights", "status", "invite_uid", "summary", "direct"`;

function toShare(row: Row): ShareRow {
  return {
    folderId: row.folder_id,
    userId: row.grantee_user_id,
    rights: row.rights,
    status: row.status,
    inviteUid: row.invite_uid,
    summary: row.summary,
    direct: row.direct,
  };
}

/** SQL for the shares of calendars: who a folder is shared with, in which state. */
@Injectable()
export class ShareRepository extends SqlRepository {
  /** The folder's shares by sharee; the caller holds the folder row when it means to change them. */
  async ofFolder(folderId: number): Promise<ShareRow[]> {
    const rows: Row[] = await this.manager.query(`SELECT ${COLUMNS} FROM "calendar"."shares" WHERE "folder_id" = $1 ORDER BY "grantee_user_id"`, [folderId]);
    return rows.map(toShare);
  }

  async find(folderId: number, granteeUserId: number): Promise<ShareRow | undefined> {
    const rows: Row[] = await this.manager.query(`SELECT ${COLUMNS} FROM "calendar"."shares" WHERE "folder_id" = $1 AND "grantee_user_id" = $2`, [folderId, granteeUserId]);
    return rows[0] && toShare(rows[0]);
  }

  /** The user's share of this invitation uid; undefined when they have none. `lock` holds its row to the transaction's end. */
  async invitation(inviteUid: string, granteeUserId: number, lock = false): Promise<ShareRow | undefined> {
    const rows: Row[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM "calendar"."shares" WHERE "invite_uid" = $1 AND "grantee_user_id" = $2${lock ? ' FOR UPDATE' : ''}`,
      [inviteUid, granteeUserId],
    );
    return rows[0] && toShare(rows[0]);
  }

  /** Makes or changes the share; a new one gets the uid of its invitation. */
  async put(folderId: number, granteeUserId: number, state: ShareState): Promise<ShareRow> {
    const rows: Row[] = await this.manager.query(
      `WITH put AS (
         INSERT INTO "calendar"."shares" ("folder_id", "grantee_user_id", "rights", "status", "direct", "summary", "invite_uid")
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT ("folder_id", "grantee_user_id") DO UPDATE
           SET "rights" = EXCLUDED."rights", "status" = EXCLUDED."status", "direct" = EXCLUDED."direct", "summary" = EXCLUDED."summary"
         RETURNING ${COLUMNS})
       SELECT * FROM put`,
      [folderId, granteeUserId, state.rights, state.status, state.direct, state.summary, randomUUID()],
    );
    return toShare(rows[0]);
  }

  async setPersonal(folderId: number, granteeUserId: number, props: PersonalProps): Promise<void> {
    const { sets, values } = propAssignments(props, 3);
    if (values.length === 0) return;
    await this.manager.query(`UPDATE "calendar"."shares" SET ${sets} WHERE "folder_id" = $1 AND "grantee_user_id" = $2`, [folderId, granteeUserId, ...values]);
  }

  /** The sharee's name for the calendar, unless they have one (CalendarServer names an accepted share after the reply's summary). */
  async nameIfUnnamed(folderId: number, granteeUserId: number, displayName: string): Promise<void> {
    await this.manager.query(`UPDATE "calendar"."shares" SET "display_name" = COALESCE("display_name", $3) WHERE "folder_id" = $1 AND "grantee_user_id" = $2`, [
      folderId,
      granteeUserId,
      displayName,
    ]);
  }

  async remove(folderId: number, granteeUserId: number): Promise<void> {
    await this.manager.query(`DELETE FROM "calendar"."shares" WHERE "folder_id" = $1 AND "grantee_user_id" = $2`, [folderId, granteeUserId]);
  }
}
