import { Injectable } from '@nestjs/common';
import { type ContactFolder, type DeadProperty, type FolderRights, GAL_FOLDER_ID } from '@davmesh/contracts';
import { SqlRepository } from '@davmesh/storage';
import { CONTACTS_SCHEMA } from '../schema';

export interface FolderRecord {
  context_id: number;
  folder_id: number;
  kind: 'personal' | 'custom' | 'gal';
  owner_user_id: number | null;
  slug: string | null;
  display_name: string;
  description: string | null;
  revision: string;
  /** Present where the query reads them. */
  dead_properties?: DeadProperty[];
}

/** A folder as one user may use it: what access checks need, without the dead properties. */
export interface FolderAccessRecord {
  folder_id: number;
  kind: FolderRecord['kind'];
  owner_user_id: number | null;
  revision: string;
  rights: FolderRights;
}

const S = `"${CONTACTS_SCHEMA}"`;
/** Joined to a folder row `f`: the share, if any, that lets user $2 see it. */
export const SHARE_OF_F = `LEFT JOIN ${S}."shares" s ON s.context_id = f.context_id AND s.folder_id = f.folder_id AND s.grantee_user_id = $2`;
/** User $2 sees folder `f`: theirs, the global address list, or shared with them. */
export const VISIBLE_F = `(f.owner_user_id = $2 OR f.kind = 'gal' OR s.grantee_user_id IS NOT NULL)`;
const RIGHTS_OF_F = `CASE WHEN f.owner_user_id = $2 THEN 'write' WHEN f.kind = 'gal' THEN 'read' ELSE s.rights END`;
/** A folder's dead properties as one JSON array, read with the folder row `f`. */
const DEAD_OF_F = `COALESCE((SELECT json_agg(json_build_object('ns', d.ns, 'name', d.name, 'xml', d.xml) ORDER BY d.ns, d.name)
   FROM ${S}."dead_properties" d WHERE d.context_id = f.context_id AND d.folder_id = f.folder_id), '[]'::json) AS dead_properties`;

/** SQL for contact folders, their shares and their dead properties; knows nothing of the bus, of vCards or of rights. */
@Injectable()
export class FolderRepository extends SqlRepository {
  /** The folders a user sees, with the rights they have there. */
  async listVisible(contextId: number, userId: number): Promise<(FolderRecord & { rights: FolderRights })[]> {
    return this.manager.query(
      `SELECT f.*, ${RIGHTS_OF_F} AS rights, ${DEAD_OF_F}
         FROM ${S}."folders" f ${SHARE_OF_F}
        WHERE f.context_id = $1 AND ${VISIBLE_F}
        ORDER BY f.folder_id`,
      [contextId, userId],
    );
  }

  /** Those of the folders the user sees, with their rights, in one statement. */
  async access(contextId: number, userId: number, folderIds: number[]): Promise<FolderAccessRecord[]> {
    return this.manager.query(
      `SELECT f.folder_id, f.kind, f.owner_user_id, f.revision, ${RIGHTS_OF_F} AS rights
         FROM ${S}."folders" f ${SHARE_OF_F}
        WHERE f.context_id = $1 AND f.folder_id = ANY($3::int[]) AND ${VISIBLE_F}`,
      [contextId, userId, folderIds],
    );
  }

  /** `lock` holds the folder row to the transaction's end. */
  async find(contextId: number, folderId: number, lock = false): Promise<FolderRecord | undefined> {
    const rows: FolderRecord[] = await this.manager.query(
      `SELECT * FROM ${S}."folders" WHERE context_id = $1 AND folder_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [contextId, folderId],
    );
    return rows[0];
  }

  /** A folder with its dead properties, as a folders reply shows it. */
  async findWithDead(contextId: number, folderId: number): Promise<FolderRecord | undefined> {
    const rows: FolderRecord[] = await this.manager.query(`SELECT f.*, ${DEAD_OF_F} FROM ${S}."folders" f WHERE f.context_id = $1 AND f.folder_id = $2`, [
      contextId,
      folderId,
    ]);
    return rows[0];
  }

  async insertPersonal(contextId: number, userId: number): Promise<void> {
    await this.manager.query(
      `INSERT INTO ${S}."folders" (context_id, folder_id, kind, owner_user_id, display_name)
       VALUES ($1, nextval('${S}."folder_ids"'), 'personal', $2, 'Contacts') ON CONFLICT DO NOTHING`,
      [contextId, userId],
    );
  }

  /** True when this call created the context's global address list. */
  async insertGal(contextId: number): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO ${S}."folders" (context_id, folder_id, kind, owner_user_id, display_name)
       VALUES ($1, $2, 'gal', NULL, 'Global Address List') ON CONFLICT DO NOTHING RETURNING folder_id`,
      [contextId, GAL_FOLDER_ID],
    );
    return rows.length > 0;
  }

  async insertCustom(contextId: number, userId: number, slug: string, displayName: string, description: string | null) {
    const rows: FolderRecord[] = await this.manager.query(
      `INSERT INTO ${S}."folders" (context_id, folder_id, kind, owner_user_id, slug, display_name, description)
       VALUES ($1, nextval('${S}."folder_ids"'), 'custom', $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING *`,
      [contextId, userId, slug, displayName, description],
    );
    return rows[0];
  }

  async update(contextId: number, folderId: number, displayName: string | undefined, description: string | null | undefined) {
    await this.manager.query(
      `UPDATE ${S}."folders" SET display_name = COALESCE($3, display_name),
              description = CASE WHEN $4 THEN $5 ELSE description END
        WHERE context_id = $1 AND folder_id = $2`,
      [contextId, folderId, displayName ?? null, description !== undefined, description ?? null],
    );
  }

  async setDead(contextId: number, folderId: number, property: DeadProperty): Promise<void> {
    await this.manager.query(
      `INSERT INTO ${S}."dead_properties" (context_id, folder_id, ns, name, xml) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (context_id, folder_id, ns, name) DO UPDATE SET xml = EXCLUDED.xml`,
      [contextId, folderId, property.ns, property.name, property.xml],
    );
  }

  async removeDead(contextId: number, folderId: number, property: { ns: string; name: string }): Promise<void> {
    await this.manager.query(`DELETE FROM ${S}."dead_properties" WHERE context_id = $1 AND folder_id = $2 AND ns = $3 AND name = $4`, [
      contextId,
      folderId,
      property.ns,
      property.name,
    ]);
  }

  async delete(contextId: number, folderId: number): Promise<void> {
    await this.manager.query(`DELETE FROM ${S}."folders" WHERE context_id = $1 AND folder_id = $2`, [contextId, folderId]);
  }

  /** Grants read or write, or (`none`) takes the grant back. */
  async setShare(contextId: number, folderId: number, granteeUserId: number, rights: FolderRights | 'none'): Promise<void> {
    if (rights === 'none') {
      await this.manager.query(`DELETE FROM ${S}."shares" WHERE context_id = $1 AND folder_id = $2 AND grantee_user_id = $3`, [
        contextId,
        folderId,
        granteeUserId,
      ]);
      return;
    }
    await this.manager.query(
      `INSERT INTO ${S}."shares" (context_id, folder_id, grantee_user_id, rights) VALUES ($1, $2, $3, $4)
       ON CONFLICT (context_id, folder_id, grantee_user_id) DO UPDATE SET rights = EXCLUDED.rights`,
      [contextId, folderId, granteeUserId, rights],
    );
  }
}

export function toFolder(record: FolderRecord, rights: FolderRights): ContactFolder {
  return {
    folderId: record.folder_id,
    contextId: record.context_id,
    kind: record.kind,
    ownerUserId: record.owner_user_id,
    slug: record.slug,
    displayName: record.display_name,
    description: record.description,
    rights,
    revision: Number(record.revision),
    deadProperties: record.dead_properties ?? [],
  };
}
