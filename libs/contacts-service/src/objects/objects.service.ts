import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import {
  ContactFolderChanged,
  DomainException,
  type AddressbookFilter,
  type ContactObject,
  type ContactPutRequest,
  type ContactPutResult,
  type Page,
  type Precondition,
  type PreconditionState,
  requirePrecondition,
} from '@davmesh/contracts';
import { matchesFilter, parseVCard, validateVCard, VCardError, type ParsedVCard, type VCardLimits } from '@davmesh/vcard';
import { ContactsUnitOfWork } from '../contacts.unit-of-work';
import { FoldersService } from '../folders/folders.service';
import { etagOf } from '../gal/gal.service';
import { ContactRepository, type ContactRecord } from './contact.repository';
import { decodeCursor, encodeCursor } from './cursor';

/** Largest vCard stored: one must fit in a bus message with room to spare. */
export const MAX_VCARD_BYTES = 256 * 1024;
const DEFAULT_PAGE = 500;
const QUERY_SCAN_BATCH = 500;
const QUERY_SCAN_MAX = 5000;

function toObject(record: ContactRecord, withData: boolean): ContactObject {
  const object: ContactObject = {
    folderId: record.folder_id,
    name: record.name,
    uid: record.uid,
    etag: record.etag,
    lastModified: new Date(record.modified_at).toISOString(),
  };
  if (withData && record.vcard !== undefined) object.vcard = record.vcard;
  return object;
}

function stateOf(record: ContactRecord | undefined): PreconditionState | undefined {
  return record && { etag: record.etag, lastModified: new Date(record.modified_at).toISOString() };
}

@Injectable()
export class ObjectsService {
  constructor(
    @Inject(ContactRepository) private readonly contacts: ContactRepository,
    @Inject(FoldersService) private readonly folders: FoldersService,
    @Inject(ContactsUnitOfWork) private readonly unitOfWork: ContactsUnitOfWork,
    @Inject(BusClient) private readonly bus: BusClient,
  ) {}

  async list(contextId: number, userId: number, folderIds: number[], withData: boolean, cursor?: string, limit = DEFAULT_PAGE) {
    const visible = await this.visible(contextId, userId, folderIds);
    const rows = await this.contacts.listPage(contextId, visible, decodeCursor(cursor), limit + 1, withData);
    const items = this.bus.replyBudget().fill(rows.slice(0, limit).map((r) => toObject(r, withData)));
    const last = items[items.length - 1];
    return rows.length > items.length && last ? { items, cursor: encodeCursor({ folderId: last.folderId, name: last.name }) } : { items };
  }

  /** In name order, at most a reply's worth: the caller asks again for the names after the last one sent. */
  async get(contextId: number, userId: number, folderIds: number[], names: string[]): Promise<ContactObject[]> {
    const { visible, contacts } = await this.contacts.getVisibleByNames(contextId, userId, folderIds, names);
    const unknown = folderIds.find((id) => !visible.has(id));
    if (unknown !== undefined) throw new DomainException('not-found', `no contact folder ${unknown}`);
    return this.bus.replyBudget().fill(contacts.map((r) => toObject(r, true)));
  }

  async query(contextId: number, userId: number, folderIds: number[], filter: AddressbookFilter, cursor?: string, limit = DEFAULT_PAGE) {
    const visible = await this.visible(contextId, userId, folderIds);
    let after = decodeCursor(cursor);
    const items: ContactObject[] = [];
    const room = this.bus.replyBudget();
    let scanned = 0;
    for (;;) {
      const batch = await this.contacts.listPage(contextId, visible, after, QUERY_SCAN_BATCH, true);
      for (const record of batch) {
        const before = after;
        after = { folderId: record.folder_id, name: record.name };
        if (!matches(record.vcard ?? '', filter)) continue;
        const item = toObject(record, true);
        // The reply is full: the next page starts at this match.
        if (!room.take(item)) return { items, cursor: encodeCursor(before!) } satisfies Page<ContactObject>;
        items.push(item);
        if (items.length >= limit) return { items, cursor: encodeCursor(after) } satisfies Page<ContactObject>;
      }
      scanned += batch.length;
      if (batch.length < QUERY_SCAN_BATCH) return { items } satisfies Page<ContactObject>;
      if (scanned >= QUERY_SCAN_MAX && after) return { items, cursor: encodeCursor(after) };
    }
  }

  async put(request: ContactPutRequest): Promise<ContactPutResult> {
    const { contextId, userId, name } = request;
    const parsed = validate(request.vcard, Math.min(request.maxBytes ?? MAX_VCARD_BYTES, MAX_VCARD_BYTES), request.limits);
    const existing = await this.contacts.findByName(contextId, name);
    const inReplaceable = existing && (existing.folder_id === request.folderId || (request.replaceIn ?? []).includes(existing.folder_id));
    const folderId = inReplaceable ? existing.folder_id : request.folderId;
    await this.folders.requireWrite(contextId, userId, folderId);
    const etag = etagOf(request.vcard);
    return this.unitOfWork.transaction(async (tx, announce) => {
      await tx.folders.find(contextId, folderId, true);
      const current = await tx.contacts.findByName(contextId, name, true);
      if (current && current.folder_id !== folderId) throw new DomainException('conflict', `the name ${name} is taken in another folder`);
      requirePrecondition(request.precondition, stateOf(current));
      const clash = await tx.contacts.findUidElsewhere(contextId, folderId, parsed.summary.uid, name);
      if (clash) {
        throw new DomainException('conflict', `UID ${parsed.summary.uid} is in use by ${clash}`, {
          condition: 'no-uid-conflict',
          folderId,
          name: clash,
        });
      }
      const revision = await tx.contacts.recordChange(contextId, folderId, name, false);
      await tx.contacts.upsert(
        {
          contextId,
          folderId,
          name,
          uid: parsed.summary.uid,
          fn: parsed.summary.fn,
          emails: parsed.summary.emails,
          version: parsed.summary.version,
          vcard: request.vcard,
          etag,
        },
        revision,
      );
      announce(ContactFolderChanged, { contextId, folderId, revision, objectsOnly: true });
      return { folderId, name, etag, created: !current, revision };
    });
  }

  async delete(contextId: number, userId: number, folderIds: number[], name: string, precondition?: Precondition) {
    const visible = await this.visible(contextId, userId, folderIds);
    const existing = await this.contacts.findByName(contextId, name);
    if (!existing || !visible.includes(existing.folder_id)) throw new DomainException('not-found', `no object ${name}`);
    const folderId = existing.folder_id;
    await this.folders.requireWrite(contextId, userId, folderId);
    return this.unitOfWork.transaction(async (tx, announce) => {
      await tx.folders.find(contextId, folderId, true);
      const current = await tx.contacts.findByName(contextId, name, true);
      if (!current || current.folder_id !== folderId) throw new DomainException('not-found', `no object ${name}`);
      requirePrecondition(precondition, stateOf(current));
      await tx.contacts.delete(contextId, name);
      const revision = await tx.contacts.recordChange(contextId, folderId, name, true);
      announce(ContactFolderChanged, { contextId, folderId, revision, objectsOnly: true });
      return { folderId, revision };
    });
  }

  async move(
    contextId: number,
    userId: number,
    folderIds: number[],
    name: string,
    toFolderId: number,
    toName: string,
    overwrite: boolean,
    precondition?: Precondition,
  ): Promise<ContactPutResult> {
    const visible = await this.visible(contextId, userId, folderIds);
    const existing = await this.contacts.findByName(contextId, name);
    if (!existing || !visible.includes(existing.folder_id)) throw new DomainException('not-found', `no object ${name}`);
    const sourceFolderId = existing.folder_id;
    await this.folders.requireWrite(contextId, userId, sourceFolderId);
    await this.folders.requireWrite(contextId, userId, toFolderId);
    return this.unitOfWork.transaction(async (tx, announce) => {
      for (const id of [...new Set([sourceFolderId, toFolderId])].sort((a, b) => a - b)) {
        await tx.folders.find(contextId, id, true);
      }
      const source = await tx.contacts.findByName(contextId, name, true);
      if (!source || source.folder_id !== sourceFolderId) throw new DomainException('not-found', `no object ${name}`);
      requirePrecondition(precondition, stateOf(source));
      const target = toName === name ? undefined : await tx.contacts.findByName(contextId, toName, true);
      if (target && (!overwrite || target.folder_id !== toFolderId)) throw new DomainException('precondition-failed', 'the target exists');
      const parsed = parseVCard(source.vcard ?? '');
      const clash = await tx.contacts.findUidElsewhere(contextId, toFolderId, parsed.summary.uid, toName);
      if (clash && clash !== name) {
        throw new DomainException('conflict', `UID ${parsed.summary.uid} is in use by ${clash}`, {
          condition: 'no-uid-conflict',
          folderId: toFolderId,
          name: clash,
        });
      }
      await tx.contacts.delete(contextId, name);
      const sourceRevision = await tx.contacts.recordChange(contextId, sourceFolderId, name, true);
      if (target) await tx.contacts.delete(contextId, toName);
      const revision = await tx.contacts.recordChange(contextId, toFolderId, toName, false);
      await tx.contacts.upsert(
        {
          contextId,
          folderId: toFolderId,
          name: toName,
          uid: parsed.summary.uid,
          fn: parsed.summary.fn,
          emails: parsed.summary.emails,
          version: parsed.summary.version,
          vcard: source.vcard ?? '',
          etag: source.etag,
        },
        revision,
      );
      if (sourceFolderId !== toFolderId) announce(ContactFolderChanged, { contextId, folderId: sourceFolderId, revision: sourceRevision, objectsOnly: true });
      announce(ContactFolderChanged, { contextId, folderId: toFolderId, revision, objectsOnly: true });
      return { folderId: toFolderId, name: toName, etag: source.etag, created: !target, revision };
    });
  }

  /** The requested folders the user can see; `not-found` for any other. */
  private async visible(contextId: number, userId: number, folderIds: number[]): Promise<number[]> {
    await this.folders.visible(contextId, userId, folderIds);
    return folderIds;
  }

}

function matches(vcard: string, filter: AddressbookFilter): boolean {
  try {
    return matchesFilter(parseVCard(vcard).jcard, filter);
  } catch {
    return false;
  }
}

/** RFC 6352 6.3.2.1 preconditions, checked before anything is stored: what passes can be served in both versions. */
function validate(vcard: string, maxBytes: number, limits?: VCardLimits): ParsedVCard {
  if (Buffer.byteLength(vcard) > maxBytes) {
    throw new DomainException('bad-request', `the vCard exceeds ${maxBytes} bytes`, { condition: 'max-resource-size' });
  }
  try {
    return validateVCard(vcard, limits);
  } catch (error) {
    if (!(error instanceof VCardError)) throw error;
    const condition = /VERSION/.test(error.message) ? 'supported-address-data' : 'valid-address-data';
    throw new DomainException('bad-request', error.message, { condition });
  }
}
