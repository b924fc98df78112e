import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import {
  DEFAULT_SHARING_LIMITS,
  DomainException,
  UsersGet,
  type CalendarFolder,
  type CalendarShareGrant,
  type CalendarSharingChange,
  type CalendarSharingReply,
  type FolderRights,
  type RefusedSharee,
  type SharingLimits,
  type ShareStatus,
} from '@davmesh/contracts';
import { announceChange, CalendarUnitOfWork, type CalendarTransaction } from '../calendar.unit-of-work';
import { FolderRepository, type FolderAccess } from '../folders/folder.repository';
import { contextUsers } from '../scheduling/context-users';
import { ShareNotices } from './share-notices';
import { ShareRepository, type ShareRow, type ShareState } from './share.repository';

const forbidden = (condition: string, message: string) => new DomainException('forbidden', message, { condition });

/**
 * Who a calendar is shared with (docs/sharing.md). The owner invites users of their context
 * (calendarserver-sharing), each invitation and each answer written to a notification collection in
 * the transaction that makes it; the operator (and `calendar.v1.folders.share`) grants directly. Only
 * accepted shares grant access. Every change is announced as a change of the folder, so every edge
 * forgets the listings that held it.
 */
@Injectable()
export class SharingService {
  constructor(
    @Inject(FolderRepository) private readonly folders: FolderRepository,
    @Inject(ShareRepository) private readonly shares: ShareRepository,
    @Inject(CalendarUnitOfWork) private readonly unitOfWork: CalendarUnitOfWork,
    @Inject(BusClient) private readonly bus: BusClient,
  ) {}

  /**
   * A direct share: the owner grants (or, with `none`, takes back) access to another user of their
   * context at once, no invitation. The directory tells both users' contexts; `contextId`, when given
   * (the operator's share), must be the owner's.
   */
  async grant(userId: number, folderId: number, granteeUserId: number, rights: FolderRights | 'none', contextId?: number): Promise<CalendarShareGrant> {
    const folder = await this.ownFolder(userId, folderId);
    if (granteeUserId === userId) throw new DomainException('bad-request', `calendar ${folderId} belongs to user ${granteeUserId} already`);
    const owner = await this.bus.call(UsersGet, { userId });
    if (contextId !== undefined && owner.contextId !== contextId) throw new DomainException('not-found', `no calendar ${folderId} in context ${contextId}`);
    const grantee = await this.bus.call(UsersGet, { userId: granteeUserId });
    if (grantee.contextId !== owner.contextId) throw new DomainException('not-found', `no user ${granteeUserId} in context ${owner.contextId}`);
    const notices = await ShareNotices.about(this.bus, [userId, granteeUserId], DEFAULT_SHARING_LIMITS.notificationsPerUser);
    await this.unitOfWork.transaction(async (tx, announce) => {
      const locked = await this.locked(tx, folderId);
      const existing = await tx.shares.find(folderId, granteeUserId);
      if (rights === 'none') {
        if (existing) await this.end(tx, locked, existing, notices);
      } else {
        // An invitation the operator grants is answered: its notification goes.
        if (existing && existing.status !== 'accepted') notices.ended(locked, existing);
        await tx.shares.put(folderId, granteeUserId, { rights, status: 'accepted', direct: true, summary: existing?.summary ?? null });
      }
      await notices.write(tx);
      announceChange(announce, folderId, userId, locked.revision);
    });
    return { folderId, ownerUserId: folder.ownerUserId, granteeUserId, rights };
  }

  /** The operator's share: made as the folder's owner, found from the folder id. */
  async adminGrant(contextId: number, folderId: number, granteeUserId: number, rights: FolderRights | 'none'): Promise<CalendarShareGrant> {
    const folder = await this.folders.find(folderId);
    if (!folder) throw new DomainException('not-found', `no calendar ${folderId}`);
    return this.grant(folder.ownerUserId, folderId, granteeUserId, rights, contextId);
  }

  /**
   * The owner's CS:share: all of it or nothing. A CS:set naming nobody of the owner's context, a
   * disabled user or the owner refuses the whole request (answered with the ones refused). A new
   * sharee is invited; a changed invitation (rights, summary) is sent again, a declined one as a new
   * invitation, an accepted one keeping its acceptance; a sharee both removed and set is set, and the
   * last CS:set of a sharee wins.
   */
  async change(request: CalendarSharingChange): Promise<{ applied: boolean; refused: RefusedSharee[] }> {
    const { userId, folderId, set, remove } = request;
    const limits = { ...DEFAULT_SHARING_LIMITS, ...request.limits };
    if (set.length + remove.length > limits.shareesPerCalendar) throw tooManySharees(limits);
    await this.ownFolder(userId, folderId);
    const owner = await this.bus.call(UsersGet, { userId });
    const users = await contextUsers(this.bus, owner.contextId, [...set, ...remove].map((entry) => entry.sharee));
    const refused = set.flatMap((_, index): RefusedSharee[] => {
      const user = users[index];
      if (!user?.enabled) return [{ index, reason: 'no-such-user' }];
      return user.userId === userId ? [{ index, reason: 'owner' }] : [];
    });
    if (refused.length > 0) return { applied: false, refused };
    const sets = new Map(set.map((entry, index) => [users[index]!.userId, entry]));
    const removals = new Set(users.slice(set.length).flatMap((user) => (user && !sets.has(user.userId) ? [user.userId] : [])));
    const notices = await ShareNotices.about(this.bus, [userId, ...sets.keys(), ...removals], limits.notificationsPerUser);
    await this.unitOfWork.transaction(async (tx, announce) => {
      const locked = await this.locked(tx, folderId);
      const current = new Map((await tx.shares.ofFolder(folderId)).map((share) => [share.userId, share]));
      for (const shareeId of removals) {
        const share = current.get(shareeId);
        if (!share) continue;
        await this.end(tx, locked, share, notices);
        current.delete(shareeId);
      }
      for (const [shareeId, entry] of sets) {
        const existing = current.get(shareeId);
        const state: ShareState = {
          rights: entry.rights,
          status: existing?.status === 'accepted' ? 'accepted' : 'invited',
          direct: false,
          summary: entry.summary ?? existing?.summary ?? null,
        };
        const share = await tx.shares.put(folderId, shareeId, state);
        current.set(shareeId, share);
        // The spec's 5.3.2: a sharee whose invitation did not change is not told again.
        if (!existing || existing.rights !== state.rights || existing.status !== state.status || existing.summary !== state.summary) notices.invited(locked, share);
      }
      if (current.size > limits.shareesPerCalendar) throw tooManySharees(limits);
      await notices.write(tx);
      announceChange(announce, folderId, userId, locked.revision);
    });
    return { applied: true, refused: [] };
  }

  /**
   * The sharee's CS:invite-reply. Accepting puts the calendar into their home; declining takes it
   * out (a direct share cannot be declined). The owner gets an `invite-reply` notification; the same
   * answer again changes nothing.
   */
  async respond(request: CalendarSharingReply): Promise<{ folderId: number; status: ShareStatus }> {
    const { userId, inviteUid, accept } = request;
    const limits = { ...DEFAULT_SHARING_LIMITS, ...request.limits };
    const share = await this.shares.invitation(inviteUid, userId);
    if (!share) throw invalidShare(inviteUid);
    const folder = await this.folders.find(share.folderId);
    if (!folder) throw invalidShare(inviteUid);
    const notices = await ShareNotices.about(this.bus, [userId, folder.ownerUserId], limits.notificationsPerUser);
    const status: ShareStatus = accept ? 'accepted' : 'declined';
    await this.unitOfWork.transaction(async (tx, announce) => {
      const current = await tx.shares.invitation(inviteUid, userId, true);
      if (!current) throw invalidShare(inviteUid);
      if (!accept && current.direct) throw forbidden('invalid-share', `the share of calendar ${current.folderId} was granted by the operator and cannot be declined`);
      if (current.status === status) return;
      const answered = await tx.shares.put(current.folderId, userId, { rights: current.rights, status, direct: current.direct, summary: current.summary });
      if (accept && request.summary) await tx.shares.nameIfUnnamed(current.folderId, userId, request.summary);
      notices.replied(folder, answered, status, request.summary ?? null);
      await notices.write(tx);
      announceChange(announce, folder.folderId, folder.ownerUserId, folder.revision);
    });
    return { folderId: share.folderId, status };
  }

  /** A sharee removes a calendar shared with them from their home (DELETE): they decline it. */
  async leave(userId: number, folder: FolderAccess, limits?: SharingLimits): Promise<void> {
    const share = await this.shares.find(folder.folderId, userId);
    if (!share || share.status !== 'accepted') throw new DomainException('not-found', `no calendar ${folder.folderId}`);
    if (share.direct) throw forbidden('need-privileges', `calendar ${folder.folderId} is not yours to delete`);
    await this.respond({ userId, inviteUid: share.inviteUid, accept: false, ...(limits ? { limits } : {}) });
  }

  /** What the owner's deletion of a folder tells its sharees, asked of the directory before the transaction. */
  async deletionNotices(folder: Pick<CalendarFolder, 'folderId' | 'ownerUserId'>, limits?: SharingLimits): Promise<ShareNotices> {
    const sharees = (await this.shares.ofFolder(folder.folderId)).map((share) => share.userId);
    return ShareNotices.about(this.bus, [folder.ownerUserId, ...sharees], limits?.notificationsPerUser ?? DEFAULT_SHARING_LIMITS.notificationsPerUser);
  }

  /** In the deleting transaction, which holds the folder row: every share ends, each sharee told. */
  async endAll(tx: CalendarTransaction, folder: CalendarFolder | FolderAccess, notices: ShareNotices): Promise<void> {
    for (const share of await tx.shares.ofFolder(folder.folderId)) await this.end(tx, folder, share, notices);
    await notices.write(tx);
  }

  private async end(tx: CalendarTransaction, folder: Pick<CalendarFolder, 'folderId' | 'ownerUserId' | 'components'>, share: ShareRow, notices: ShareNotices): Promise<void> {
    notices.ended(folder, share);
    await tx.shares.remove(share.folderId, share.userId);
  }

  /** The folder row held to the transaction's end; `not-found` when it went meanwhile. */
  private async locked(tx: CalendarTransaction, folderId: number): Promise<CalendarFolder> {
    const folder = await tx.folders.find(folderId, true);
    if (!folder) throw new DomainException('not-found', `no calendar ${folderId}`);
    return folder;
  }

  /** A calendar of the user's own that may be shared: not-found when they cannot see it, need-privileges when it is not theirs or is their inbox. */
  private async ownFolder(userId: number, folderId: number): Promise<FolderAccess> {
    const folder = await this.folders.access(folderId, userId);
    if (!folder) throw new DomainException('not-found', `no calendar ${folderId}`);
    if (folder.ownerUserId !== userId) throw forbidden('need-privileges', `calendar ${folderId} is not yours to share`);
    if (folder.inbox) throw forbidden('need-privileges', 'a schedule inbox is not shared');
    return folder;
  }
}

function tooManySharees(limits: SharingLimits): DomainException {
  return forbidden('number-of-matches-within-limits', `a calendar is shared with at most ${limits.shareesPerCalendar} users (davmesh.limits.shareesPerCalendar)`);
}

function invalidShare(inviteUid: string): DomainException {
  return forbidden('invalid-share', `no invitation ${inviteUid} for you`);
}
