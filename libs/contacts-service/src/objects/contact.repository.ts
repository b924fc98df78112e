import { Injectable } from '@nestjs/common';
import { equalsOneOrAny, selectJsonRows, SqlRepository } from '@davmesh/storage';
import { SHARE_OF_F, VISIBLE_F } from '../folders/folder.repository';
import { CONTACTS_SCHEMA } from '../schema';

const S = `"${CONTACTS_SCHEMA}"`;

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

/** A ContactRecord as JSON rows carry it (`selectJsonRows`: PGlite decodes one field, not eight per contact). */
type JsonContactRow = Omit<ContactRecord, 'revision' | 'modified_at'> & { revision: number; modified_at: string };

const fromJson = (row: JsonContactRow): ContactRecord => ({ ...row, revision: String(row.revision), modified_at: new Date(row.modified_at) });

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

/** SQL for contacts and the change log; knows nothing of the bus, of vCards or of rights. */
@Injectable()
export class ContactRepository extends SqlRepository {
  /** `lock` holds the row to the transaction's end. */
  async findByName(contextId: number, name: string, lock = false): Promise<ContactRecord | undefined> {
    const rows: ContactRecord[] = await this.manager.query(
      `SELECT folder_id, name, uid, etag, revision, modified_at, source_version, vcard FROM ${S}."contacts"
        WHERE context_id = $1 AND name = $2${lock ? ' FOR UPDATE' : ''}`,
      [contextId, name],
    );
    return rows[0];
  }

  async findUidElsewhere(contextId: number, folderId: number, uid: string, name: string): Promise<string | undefined> {
    const rows: { name: string }[] = await this.manager.query(
      `SELECT name FROM ${S}."contacts" WHERE context_id = $1 AND folder_id = $2 AND uid = $3 AND name <> $4`,
      [contextId, folderId, uid, name],
    );
    return rows[0]?.name;
  }

  async upsert(contact: NewContact, revision: number): Promise<void> {
    await this.manager.query(
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

  async delete(contextId: number, name: string): Promise<void> {
    await this.manager.query(`DELETE FROM ${S}."contacts" WHERE context_id = $1 AND name = $2`, [contextId, name]);
  }

  /** One page of objects in (folder_id, name) order after the given position. */
  async listPage(
    contextId: number,
    folderIds: number[],
    after: { folderId: number; name: string } | undefined,
    limit: number,
    withData: boolean,
  ): Promise<ContactRecord[]> {
    return this.manager.query(
      `SELECT folder_id, name, uid, etag, revision, modified_at${withData ? ', vcard' : ''} FROM ${S}."contacts"
        WHERE context_id = $1 AND folder_id = ANY($2::int[]) AND (folder_id, name) > ($3, $4)
        ORDER BY folder_id, name LIMIT $5`,
      [contextId, folderIds, after?.folderId ?? 0, after?.name ?? '', limit],
    );
  }

  /**
   * The named objects in those of the folders the user sees, and which folders those are, in one
   * statement (GET and multiget are the hottest reads). Objects in name order. One name (a GET)
   * is a statement of its own (`equalsOneOrAny`).
   */
  async getVisibleByNames(
    contextId: number,
    userId: number,
    folderIds: number[],
    names: string[],
  ): Promise<{ visible: Set<number>; contacts: ContactRecord[] }> {
    const named = equalsOneOrAny(names, 4, 'text');
    const rows = await selectJsonRows<Omit<JsonContactRow, 'name'> & { name: string | null; visible_folder_id: number }>(
      this.manager,
      `SELECT f.folder_id AS visible_folder_id, c.folder_id, c.name, c.uid, c.etag, c.revision, c.modified_at, c.vcard
         FROM ${S}."folders" f ${SHARE_OF_F}
         LEFT JOIN ${S}."contacts" c ON c.context_id = f.context_id AND c.folder_id = f.folder_id AND c.name ${named.sql}
        WHERE f.context_id = $1 AND f.folder_id = ANY($3::int[]) AND ${VISIBLE_F}`,
      [contextId, userId, folderIds, named.value],
      'r."name" COLLATE "C"',
    );
    const visible = new Set(rows.map((r) => r.visible_folder_id));
    const contacts = rows.filter((r): r is typeof r & { name: string } => r.name !== null).map(({ visible_folder_id: _, ...contact }) => fromJson(contact));
    return { visible, contacts };
  }

  /** Raises the folder's revision by one (the caller holds its row lock) and logs the change. */
  async recordChange(contextId: number, folderId: number, name: string, deleted: boolean): Promise<number> {
    // One statement: an UPDATE ... RETURNING alone comes back from TypeORM as [rows, count].
    const rows: { revision: string }[] = await this.manager.query(
      `WITH bumped AS (
         UPDATE ${S}."folders" SET revision = revision + 1 WHERE context_id = $1 AND folder_id = $2 RETURNING revision)
       INSERT INTO ${S}."changes" (context_id, folder_id, revision, name, deleted)
       SELECT $1, $2, revision, $3, $4 FROM bumped RETURNING revision`,
      [contextId, folderId, name, deleted],
    );
    return Number(rows[0].revision);
  }

  /** Current objects of a folder changed after `revision`, oldest change first: the initial sync. */
  async currentSince(contextId: number, folderId: number, revision: number, limit: number): Promise<ContactRecord[]> {
    return this.manager.query(
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
    return this.manager.query(
      `SELECT ch.name, ch.revision, c.etag, c.modified_at FROM ${S}."changes" ch
         LEFT JOIN ${S}."contacts" c ON c.context_id = ch.context_id AND c.name = ch.name AND c.folder_id = ch.folder_id
        WHERE ch.context_id = $1 AND ch.folder_id = $2 AND ch.revision > $3 ORDER BY ch.revision LIMIT $4`,
      [contextId, folderId, revision, limit],
    );
  }
}
