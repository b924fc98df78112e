import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactFolderChanged, GAL_FOLDER_ID, UsersGet, UsersList, type User, type UserChangedEvent } from '@davmesh/contracts';
import { type Announce } from '@davmesh/storage';
import { ContactsUnitOfWork, type ContactsTransaction } from '../contacts.unit-of-work';
import { FolderRepository } from '../folders/folder.repository';

/** A strong ETag, bare: a hash of the stored bytes. */
export function etagOf(vcard: string): string {
  return createHash('sha256').update(vcard).digest('base64url').slice(0, 22);
}

function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/([,;])/g, '\\$1');
}

/** The vCard the global address list shows for a user of the directory. */
export function galVCard(user: User): string {
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `UID:davmesh-user-${user.contextId}-${user.userId}`, `FN:${escapeText(user.displayName)}`];
  lines.push(`N:${escapeText(user.displayName)};;;;`);
  if (user.email) lines.push(`EMAIL;TYPE=INTERNET,WORK:${escapeText(user.email)}`);
  lines.push(`NICKNAME:${escapeText(user.login)}`, 'END:VCARD', '');
  return lines.join('\r\n');
}

export const galName = (userId: number) => `gal-user-${userId}.vcf`;

/** Keeps each context's global address list (folder 6) in step with the directory. */
@Injectable()
export class GalService {
  constructor(
    @Inject(FolderRepository) private readonly folders: FolderRepository,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(ContactsUnitOfWork) private readonly unitOfWork: ContactsUnitOfWork,
  ) {}

  /** Creates and fills the context's list the first time it is needed. The directory is read before the transaction. */
  async ensure(contextId: number): Promise<void> {
    if (await this.folders.find(contextId, GAL_FOLDER_ID)) return;
    const users = await this.bus.call(UsersList, { contextId });
    await this.unitOfWork.transaction(async (tx, announce) => {
      if (!(await tx.folders.insertGal(contextId))) return;
      await tx.folders.find(contextId, GAL_FOLDER_ID, true);
      let last = 0;
      for (const user of users) last = (await this.apply(tx, user)) ?? last;
      announceGal(announce, contextId, last);
    });
  }

  /** Every replica hears every directory change; the row lock and the version make repeats harmless. */
  async onUserChanged(event: UserChangedEvent): Promise<void> {
    if (event.change === 'password-changed') return;
    if (!(await this.folders.find(event.contextId, GAL_FOLDER_ID))) {
      await this.ensure(event.contextId);
      return;
    }
    const user = await this.bus.call(UsersGet, { userId: event.userId });
    await this.unitOfWork.transaction(async (tx, announce) => {
      await tx.folders.find(event.contextId, GAL_FOLDER_ID, true);
      const revision = await this.apply(tx, user);
      if (revision !== undefined) announceGal(announce, event.contextId, revision);
    });
  }

  /** Brings one user's entry up to date; answers the new folder revision if anything changed. */
  private async apply(tx: ContactsTransaction, user: User): Promise<number | undefined> {
    const name = galName(user.userId);
    const existing = await tx.contacts.findByName(user.contextId, name, true);
    if (existing && (existing.source_version ?? 0) >= user.version) return undefined;
    if (!user.enabled) {
      if (!existing) return undefined;
      await tx.contacts.delete(user.contextId, name);
      return tx.contacts.recordChange(user.contextId, GAL_FOLDER_ID, name, true);
    }
    const vcard = galVCard(user);
    const etag = etagOf(vcard);
    const changed = existing?.etag !== etag;
    const revision = changed
      ? await tx.contacts.recordChange(user.contextId, GAL_FOLDER_ID, name, false)
      : Number(existing?.revision ?? 0);
    await tx.contacts.upsert(
      {
        contextId: user.contextId,
        folderId: GAL_FOLDER_ID,
        name,
        uid: `davmesh-user-${user.contextId}-${user.userId}`,
        fn: user.displayName,
        emails: user.email ? [user.email] : [],
        version: '3.0',
        vcard,
        etag,
        sourceVersion: user.version,
      },
      revision,
    );
    return changed ? revision : undefined;
  }
}

function announceGal(announce: Announce, contextId: number, revision: number): void {
  announce(ContactFolderChanged, { contextId, folderId: GAL_FOLDER_ID, revision });
}
