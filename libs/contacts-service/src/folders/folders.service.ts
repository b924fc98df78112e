import { Inject, Injectable } from '@nestjs/common';
import { ContactFolderChanged, DomainException, GAL_FOLDER_ID, type ContactFolder, type DeadProperty, type FolderRights } from '@davmesh/contracts';
import { type Announce } from '@davmesh/storage';
import { ContactsUnitOfWork } from '../contacts.unit-of-work';
import { GalService } from '../gal/gal.service';
import { FolderRepository, toFolder, type FolderAccessRecord } from './folder.repository';

/** Folders: the personal one made on first use, custom ones, shares, and the context's global address list. */
@Injectable()
export class FoldersService {
  constructor(
    @Inject(FolderRepository) private readonly folders: FolderRepository,
    @Inject(GalService) private readonly gal: GalService,
    @Inject(ContactsUnitOfWork) private readonly unitOfWork: ContactsUnitOfWork,
  ) {}

  async list(contextId: number, userId: number): Promise<ContactFolder[]> {
    let rows = await this.folders.listVisible(contextId, userId);
    const needsPersonal = !rows.some((r) => r.kind === 'personal' && r.owner_user_id === userId);
    const needsGal = !rows.some((r) => r.kind === 'gal');
    if (needsPersonal || needsGal) {
      if (needsPersonal) await this.folders.insertPersonal(contextId, userId);
      if (needsGal) await this.gal.ensure(contextId);
      rows = await this.folders.listVisible(contextId, userId);
    }
    return rows.map((r) => toFolder(r, r.rights));
  }

  /** The folders as the caller may use them, in the order asked, in one statement; `not-found` for one they cannot see. */
  async visible(contextId: number, userId: number, folderIds: number[]): Promise<FolderAccessRecord[]> {
    const found = new Map((await this.folders.access(contextId, userId, folderIds)).map((f) => [f.folder_id, f]));
    return folderIds.map((id) => {
      const folder = found.get(id);
      if (!folder) throw new DomainException('not-found', `no contact folder ${id}`);
      return folder;
    });
  }

  /** The caller's rights on one folder; `not-found` when they cannot see it. */
  async rights(contextId: number, userId: number, folderId: number): Promise<FolderRights> {
    const [folder] = await this.visible(contextId, userId, [folderId]);
    return folder.rights;
  }

  async requireWrite(contextId: number, userId: number, folderId: number): Promise<void> {
    if ((await this.rights(contextId, userId, folderId)) !== 'write') {
      throw new DomainException('forbidden', `folder ${folderId} is read-only for you`, { condition: 'need-privileges' });
    }
  }

  async create(
    contextId: number,
    userId: number,
    slug: string,
    displayName?: string,
    description?: string,
    dead: DeadProperty[] = [],
  ): Promise<ContactFolder> {
    if (/^\d+$/.test(slug) || slug === 'Contacts') throw new DomainException('conflict', `"${slug}" is reserved`);
    const row = await this.unitOfWork.transaction(async (tx, announce) => {
      const inserted = await tx.folders.insertCustom(contextId, userId, slug, displayName ?? slug, description ?? null);
      if (!inserted) return undefined;
      for (const property of dead) await tx.folders.setDead(contextId, inserted.folder_id, property);
      const folder = await tx.folders.findWithDead(contextId, inserted.folder_id);
      if (folder) announceChange(announce, folder.context_id, folder.folder_id, Number(folder.revision), { ownerUserId: userId });
      return folder;
    });
    if (!row) throw new DomainException('conflict', `an address book "${slug}" exists already`);
    return toFolder(row, 'write');
  }

  /** Every change of one PROPPATCH in one transaction: all of them or none. */
  async update(
    contextId: number,
    userId: number,
    folderId: number,
    change: { displayName?: string; description?: string | null; setDead?: DeadProperty[]; removeDead?: { ns: string; name: string }[] },
  ) {
    await this.requireOwner(contextId, userId, folderId);
    const row = await this.unitOfWork.transaction(async (tx, announce) => {
      await tx.folders.update(contextId, folderId, change.displayName, change.description);
      for (const property of change.setDead ?? []) await tx.folders.setDead(contextId, folderId, property);
      for (const property of change.removeDead ?? []) await tx.folders.removeDead(contextId, folderId, property);
      const folder = await tx.folders.findWithDead(contextId, folderId);
      if (folder) announceChange(announce, contextId, folderId, Number(folder.revision), { ownerUserId: userId });
      return folder;
    });
    if (!row) throw new DomainException('not-found', `no contact folder ${folderId}`);
    return toFolder(row, 'write');
  }

  async delete(contextId: number, userId: number, folderId: number): Promise<{ deleted: true }> {
    const folder = await this.requireOwner(contextId, userId, folderId);
    if (folder.kind !== 'custom') throw new DomainException('forbidden', 'the personal contacts folder cannot be deleted', { condition: 'need-privileges' });
    await this.unitOfWork.transaction(async (tx, announce) => {
      await tx.folders.delete(contextId, folderId);
      // Edges drop their listings that hold it: a book made again under the name is a new folder.
      announceChange(announce, contextId, folderId, Number(folder.revision), { ownerUserId: userId });
    });
    return { deleted: true };
  }

  async share(contextId: number, userId: number, folderId: number, granteeUserId: number, rights: FolderRights | 'none') {
    const folder = await this.requireOwner(contextId, userId, folderId);
    await this.unitOfWork.transaction(async (tx, announce) => {
      await tx.folders.setShare(contextId, folderId, granteeUserId, rights);
      announceChange(announce, contextId, folderId, Number(folder.revision), { ownerUserId: userId, granteeUserId });
    });
    return { folderId, granteeUserId, rights };
  }

  /** The operator's share: acts as the folder's owner, found from the folder id. */
  async adminShare(contextId: number, folderId: number, granteeUserId: number, rights: FolderRights | 'none') {
    const folder = await this.folders.find(contextId, folderId);
    if (!folder) throw new DomainException('not-found', `no contact folder ${folderId} in context ${contextId}`);
    if (folder.owner_user_id === null || folder.kind === 'gal') {
      throw new DomainException('forbidden', `folder ${folderId} has no owner to share it`, { condition: 'need-privileges' });
    }
    if (folder.owner_user_id === granteeUserId) throw new DomainException('bad-request', `folder ${folderId} belongs to user ${granteeUserId} already`);
    const grant = await this.share(contextId, folder.owner_user_id, folderId, granteeUserId, rights);
    return { ...grant, ownerUserId: folder.owner_user_id };
  }

  private async requireOwner(contextId: number, userId: number, folderId: number) {
    const folder = await this.folders.find(contextId, folderId);
    if (!folder) throw new DomainException('not-found', `no contact folder ${folderId}`);
    if (folder.owner_user_id !== userId || folderId === GAL_FOLDER_ID) {
      throw new DomainException('forbidden', `folder ${folderId} is not yours`, { condition: 'need-privileges' });
    }
    return folder;
  }
}

function announceChange(
  announce: Announce,
  contextId: number,
  folderId: number,
  revision: number,
  whose: { ownerUserId: number; granteeUserId?: number },
): void {
  announce(ContactFolderChanged, { contextId, folderId, revision, ...whose });
}
