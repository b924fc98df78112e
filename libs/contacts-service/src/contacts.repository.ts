import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type ContactFolder, type DeadProperty, type FolderRights, GAL_FOLDER_ID } from '@davmesh/contracts';

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

export interface ContactRecord {
  folder_id: number;
  name: string;
  uid: string;
  etag: string;
  revision: string;
  modified_at: Date;
  vcard?: string;
  source_version?: number | null;
}

export interface NewContact {
  contextId: number;
  folderId: number;
  name: string;
  uid: string;
  fn: string;
  emails: string[];
  version: string;
  vcard: string;
  etag: string;
  sourceVersion?: number | null;
}

/** A folder as one user may use it: what access checks need, without the dead properties. */
export interface FolderAccessRecord {
  folder_id: number;
  kind: FolderRecord['kind'];
  owner_user_id: number | null;
  revision: string;
  rights: FolderRights;
}

const S = '"contacts"';
/** Joined to a folder row `f`: the share, if any, that lets user $2 see it. */
const SHARE_OF_F = `LEFT JOIN ${S}."shares" s ON s.context_id = f.context_id AND s.folder_id = f.folder_id AND s.grantee_user_id = $2`;
/** User $2 sees folder `f`: theirs, the global address list, or shared with them. */
const VISIBLE_F = `(f.owner_user_id = $2 OR f.kind = 'gal' OR s.grantee_user_id IS NOT NULL)`;
const RIGHTS_OF_F = `CASE WHEN f.owner_user_id = $2 THEN 'write' WHEN f.kind = 'gal' THEN 'read' ELSE s.rights END`;
/** A folder's dead properties as one JSON array, read with the folder row `f`. */
const DEAD_OF_F = `COALESCE((SELECT json_agg(json_build_object('ns', d.ns, 'name', d.name, 'xml', d.xml) ORDER BY d.ns, d.name)
   FROM ${S}."dead_properties" d WHERE d.context_id = f.context_id AND d.folder_id = f.folder_id), '[]'::json) AS dead_properties`;

/** SQL of the contacts schema; knows nothing of the bus, of vCards or of rights. */
@Injectable()
export class ContactsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** The folders a user sees, with the rights they have there. */
  async visibleFolders(contextId: number, userId: number): Promise<(FolderRecord & { rights: FolderRights })[]> {
    return this.dataSource.query(
      `SELECT f.*, ${RIGHTS_OF_F} AS rights, ${DEAD_OF_F}
         FROM ${S}."folders" f ${SHARE_OF_F}
        WHERE f.context_id = $1 AND ${VISIBLE_F}
        ORDER BY f.folder_id`,
      [contextId, userId],
    );
  }

  /** Those of the folders the user sees, with their rights, in one statement. */
  async access(contextId: number, userId: number, folderIds: number[]): Promise<FolderAccessRecord[]> {
    return this.dataSource.query(
      `SELECT f.folder_id, f.kind, f.owner_user_id, f.revision, ${RIGHTS_OF_F} AS rights
         FROM ${S}."folders" f ${SHARE_OF_F}
        WHERE f.context_id = $1 AND f.folder_id = ANY($3::int[]) AND ${VISIBLE_F}`,
      [contextId, userId, folderIds],
    );
  }

  async findFolder(manager: EntityManager, contextId: number, folderId: number, lock = false): Promise<FolderRecord | undefined> {
    const rows: FolderRecord[] = await manager.query(
      `SELECT * FROM ${S}."folders" WHERE context_id = $1 AND folder_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [contextId, folderId],
    );
    return rows[0];
  }

  /** A folder with its dead properties, as a folders reply shows it. */
  async folderWithDead(manager: EntityManager, contextId: number, folderId: number): Promise<FolderRecord | undefined> {
    const rows: FolderRecord[] = await manager.query(`SELECT f.*, ${DEAD_OF_F} FROM ${S}."folders" f WHERE f.context_id = $1 AND f.folder_id = $2`, [
      contextId,
      folderId,
    ]);
    return rows[0];
  }

  async insertPersonal(contextId: number, userId: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${S}."folders" (context_id, folder_id, kind, owner_user_id, display_name)
       VALUES ($1, nextval('${S}."folder_ids"'), 'personal', $2, 'Contacts') ON CONFLICT DO NOTHING`,
      [contextId, userId],
    );
  }

  /** True when this call created the context's global address list. */
  async insertGal(manager: EntityManager, contextId: number): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO ${S}."folders" (context_id, folder_id, kind, owner_user_id, display_name)
       VALUES ($1, $2, 'gal', NULL, 'Global Address List') ON CONFLICT DO NOTHING RETURNING folder_id`,
      [contextId, GAL_FOLDER_ID],
    );
    return rows.length > 0;
  }

  async insertCustom(tx: EntityManager, contextId: number, userId: number, slug: string, displayName: string, description: string | null) {
    const rows: FolderRecord[] = await tx.query(
      `INSERT INTO ${S}."folders" (context_id, folder_id, kind, owner_user_id, slug, display_name, description)
       VALUES ($1, nextval('${S}."folder_ids"'), 'custom', $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING *`,
      [contextId, userId, slug, displayName, description],
    );
    return rows[0];
  }

  async updateFolder(tx: EntityManager, contextId: number, folderId: number, displayName: string | undefined, description: string | null | undefined) {
    await tx.query(
      `UPDATE ${S}."folders" SET display_name = COALESCE($3, display_name),
              description = CASE WHEN $4 THEN $5 ELSE description END
        WHERE context_id = $1 AND folder_id = $2`,
      [contextId, folderId, displayName ?? null, description !== undefined, description ?? null],
    );
  }

  async setDead(tx: EntityManager, contextId: number, folderId: number, property: DeadProperty): Promise<void> {
    await tx.query(
      `INSERT INTO ${S}."dead_properties" (context_id, folder_id, ns, name, xml) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (context_id, folder_id, ns, name) DO UPDATE SET xml = EXCLUDED.xml`,
      [contextId, folderId, property.ns, property.name, property.xml],
    );
  }

  async removeDead(tx: EntityManager, contextId: number, folderId: number, property: { ns: string; name: string }): Promise<void> {
    await tx.query(`DELETE FROM ${S}."dead_properties" WHERE context_id = $1 AND folder_id = $2 AND ns = $3 AND name = $4`, [
      contextId,
      folderId,
      property.ns,
      property.name,
    ]);
  }

  async deleteFolder(tx: EntityManager, contextId: number, folderId: number): Promise<void> {
    await tx.query(`DELETE FROM ${S}."folders" WHERE context_id = $1 AND folder_id = $2`, [contextId, folderId]);
  }

  async setShare(tx: EntityManager, contextId: number, folderId: number, granteeUserId: number, rights: FolderRights | 'none'): Promise<void> {
    if (rights === 'none') {
      await tx.query(`DELETE FROM ${S}."shares" WHERE context_id = $1 AND folder_id = $2 AND grantee_user_id = $3`, [
        contextId,
        folderId,
        granteeUserId,
      ]);
      return;
    }
    await tx.query(
      `INSERT INTO ${S}."shares" (context_id, folder_id, grantee_user_id, rights) VALUES ($1, $2, $3, $4)
       ON CONFLICT (context_id, folder_id, grantee_user_id) DO UPDATE SET rights = EXCLUDED.rights`,
      [contextId, folderId, granteeUserId, rights],
    );
  }

  /** Raises the folder's revision by one (the caller holds its row lock) and logs the change. */
  async recordChange(tx: EntityManager, contextId: number, folderId: number, name: string, deleted: boolean): Promise<number> {
    // One statement: an UPDATE ... RETURNING alone comes back from TypeORM as [rows, count].
    const rows: { revision: string }[] = await tx.query(
      `WITH bumped AS (
         UPDATE ${S}."folders" SET revision = revision + 1 WHERE context_id = $1 AND folder_id = $2 RETURNING revision)
       INSERT INTO ${S}."changes" (context_id, folder_id, revision, name, deleted)
       SELECT $1, $2, revision, $3, $4 FROM bumped RETURNING revision`,
      [contextId, folderId, name, deleted],
    );
    return Number(rows[0].revision);
  }

  async findByName(manager: EntityManager, contextId: number, name: string, lock = false): Promise<ContactRecord | undefined> {
    const rows: ContactRecord[] = await manager.query(
      `SELECT folder_id, name, uid, etag, revision, modified_at, source_version, vcard FROM ${S}."contacts"
        WHERE context_id = $1 AND name = $2${lock ? ' FOR UPDATE' : ''}`,
      [contextId, name],
    );
    return rows[0];
  }

  async findUidElsewhere(tx: EntityManager, contextId: number, folderId: number, uid: string, name: string): Promise<string | undefined> {
    const rows: { name: string }[] = await tx.query(
      `SELECT name FROM ${S}."contacts" WHERE context_id = $1 AND folder_id = $2 AND uid = $3 AND name <> $4`,
      [contextId, folderId, uid, name],
    );
    return rows[0]?.name;
  }

  async upsertContact(tx: EntityManager, contact: NewContact, revision: number): Promise<void> {
    await tx.query(
      `INSERT INTO ${S}."contacts" AS c (context_id, name, folder_id, uid, fn, emails, vcard_version, vcard, etag, revision, source_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (context_id, name) DO UPDATE SET folder_id = EXCLUDED.folder_id, uid = EXCLUDED.uid, fn = EXCLUDED.fn,
         emails = EXCLUDED.emails, vcard_version = EXCLUDED.vcard_version, vcard = EXCLUDED.vcard, etag = EXCLUDED.etag,
         revision = EXCLUDED.revision, source_version = EXCLUDED.source_version,
         modified_at = CASE WHEN c.etag = EXCLUDED.etag THEN c.modified_at ELSE now() END`,
      [
        contact.contextId,
        contact.name,
        contact.folderId,
        contact.uid,
        contact.fn,
        contact.emails,
        contact.version,
        contact.vcard,
        contact.etag,
        revision,
        contact.sourceVersion ?? null,
      ],
    );
  }

  async deleteContact(tx: EntityManager, contextId: number, name: string): Promise<void> {
    await tx.query(`DELETE FROM ${S}."contacts" WHERE context_id = $1 AND name = $2`, [contextId, name]);
  }

  /** One page of objects in (folder_id, name) order after the given position. */
  async listPage(
    contextId: number,
    folderIds: number[],
    after: { folderId: number; name: string } | undefined,
    limit: number,
    withData: boolean,
  ): Promise<ContactRecord[]> {
    return this.dataSource.query(
      `SELECT folder_id, name, uid, etag, revision, modified_at${withData ? ', vcard' : ''} FROM ${S}."contacts"
        WHERE context_id = $1 AND folder_id = ANY($2::int[]) AND (folder_id, name) > ($3, $4)
        ORDER BY folder_id, name LIMIT $5`,
      [contextId, folderIds, after?.folderId ?? 0, after?.name ?? '', limit],
    );
  }

  /**
   * The named objects in those of the folders the user sees, and which folders those are, in one
   * statement (GET and multiget are the hottest reads). Objects in name order.
   */
  async getVisibleByNames(
    contextId: number,
    userId: number,
    folderIds: number[],
    names: string[],
  ): Promise<{ visible: Set<number>; contacts: ContactRecord[] }> {
    const rows: (Omit<ContactRecord, 'name'> & { name: string | null; visible_folder_id: number })[] = await this.dataSource.query(
      `SELECT f.folder_id AS visible_folder_id, c.folder_id, c.name, c.uid, c.etag, c.revision, c.modified_at, c.vcard
         FROM ${S}."folders" f ${SHARE_OF_F}
         LEFT JOIN ${S}."contacts" c ON c.context_id = f.context_id AND c.folder_id = f.folder_id AND c.name = ANY($4::text[])
        WHERE f.context_id = $1 AND f.folder_id = ANY($3::int[]) AND ${VISIBLE_F}
        ORDER BY c.name COLLATE "C"`,
      [contextId, userId, folderIds, names],
    );
    const visible = new Set(rows.map((r) => r.visible_folder_id));
    const contacts = rows.filter((r): r is typeof r & { name: string } => r.name !== null).map(({ visible_folder_id: _, ...contact }) => contact);
    return { visible, contacts };
  }

  /** Current objects of a folder changed after `revision`, oldest change first: the initial sync. */
  async currentSince(contextId: number, folderId: number, revision: number, limit: number): Promise<ContactRecord[]> {
    return this.dataSource.query(
      `SELECT folder_id, name, uid, etag, revision, modified_at FROM ${S}."contacts"
        WHERE context_id = $1 AND folder_id = $2 AND revision > $3 ORDER BY revision LIMIT $4`,
      [contextId, folderId, revision, limit],
    );
  }

  /** The change log of a folder after `revision`, with the current etag of what still exists. */
  async changesSince(
    contextId: number,
    folderId: number,
    revision: number,
    limit: number,
  ): Promise<{ name: string; revision: string; etag: string | null; modified_at: Date | null }[]> {
    return this.dataSource.query(
      `SELECT ch.name, ch.revision, c.etag, c.modified_at FROM ${S}."changes" ch
         LEFT JOIN ${S}."contacts" c ON c.context_id = ch.context_id AND c.name = ch.name AND c.folder_id = ch.folder_id
        WHERE ch.context_id = $1 AND ch.folder_id = $2 AND ch.revision > $3 ORDER BY ch.revision LIMIT $4`,
      [contextId, folderId, revision, limit],
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
