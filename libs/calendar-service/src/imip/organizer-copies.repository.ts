import { Injectable } from '@nestjs/common';
import { SqlRepository } from '@davmesh/storage';

export interface OrganizerCopy {
  ownerUserId: number;
  folderId: number;
  name: string;
}

/** Where an organizer keeps the event a reply answers: the one read incoming iMIP needs. */
@Injectable()
export class OrganizerCopyRepository extends SqlRepository {
  /** The object with this UID in a folder one of the users owns (the lowest folder id when several do). */
  async findByUid(ownerUserIds: number[], uid: string): Promise<OrganizerCopy | undefined> {
    const rows: { owner_user_id: number; folder_id: number; name: string }[] = await this.manager.query(
      `SELECT f."owner_user_id", o."folder_id", o."name"
         FROM "calendar"."folders" f JOIN "calendar"."objects" o ON o."folder_id" = f."folder_id"
        WHERE f."owner_user_id" = ANY($1::integer[]) AND o."uid" = $2
        ORDER BY o."folder_id" LIMIT 1`,
      [ownerUserIds, uid],
    );
    return rows[0] && { ownerUserId: rows[0].owner_user_id, folderId: rows[0].folder_id, name: rows[0].name };
  }
}
