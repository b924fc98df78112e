import { type BusClient } from '@davmesh/bus';
import { type CalendarFolder, type NotifiedUser, type SharingNotification } from '@davmesh/contracts';
import { type CalendarTransaction } from '../calendar.unit-of-work';
import { directoryUser } from '../scheduling/context-users';
import { type ShareRow } from './share.repository';

/** The folder fields a notification tells of. */
type SharedFolder = Pick<CalendarFolder, 'folderId' | 'ownerUserId' | 'components'>;

/** A sharee's notification of an invitation, and the owner's of its reply. */
export const inviteName = (inviteUid: string) => `${inviteUid}.xml`;
export const replyName = (inviteUid: string) => `${inviteUid}-reply.xml`;

type Notice = { userId: number; name: string } & ({ content: SharingNotification } | { withdraw: true });

/**
 * What one sharing change tells the users it concerns, gathered in its transaction and written at
 * its end, each user's collection in user id order: two changes never wait for each other's
 * collections in opposite orders. Names come from the directory, asked before the transaction.
 */
export class ShareNotices {
  private readonly notices: Notice[] = [];

  private constructor(
    private readonly people: ReadonlyMap<number, NotifiedUser>,
    private readonly keep: number,
  ) {}

  /** Notices for changes among these users, named as the directory knows them now; no transaction may be open. */
  static async about(bus: BusClient, userIds: Iterable<number>, keep: number): Promise<ShareNotices> {
    const people = new Map<number, NotifiedUser>();
    await Promise.all(
      [...new Set(userIds)].map(async (userId) => {
        const user = await directoryUser(bus, userId);
        if (user) people.set(userId, { userId, email: user.email, displayName: user.displayName });
      }),
    );
    return new ShareNotices(people, keep);
  }

  /** The sharee is invited, or their invitation changed (its rights, its summary; re-invited after a decline). */
  invited(folder: SharedFolder, share: ShareRow): void {
    this.toSharee(folder, share, share.status);
  }

  /**
   * The share ends (the owner took it back, or deleted the calendar): an invitation not accepted is
   * withdrawn from the sharee's collection; an accepted one is told as `deleted`. The operator's
   * direct shares came with no invitation and go without a word.
   */
  ended(folder: SharedFolder, share: ShareRow): void {
    if (share.direct) return;
    if (share.status === 'accepted') this.toSharee(folder, share, 'deleted');
    else this.notices.push({ userId: share.userId, name: inviteName(share.inviteUid), withdraw: true });
  }

  /** The owner learns of the sharee's answer; `share` is as it now stands. */
  replied(folder: SharedFolder, share: ShareRow, status: 'accepted' | 'declined', summary: string | null): void {
    this.notices.push({
      userId: folder.ownerUserId,
      name: replyName(share.inviteUid),
      content: { type: 'invite-reply', inviteUid: share.inviteUid, sharee: this.person(share.userId), owner: this.person(folder.ownerUserId), folderId: folder.folderId, status, summary },
    });
  }

  /** Writes what was gathered, in the transaction. */
  async write(tx: CalendarTransaction): Promise<void> {
    const ordered = [...this.notices].sort((a, b) => a.userId - b.userId);
    for (const notice of ordered) {
      if ('withdraw' in notice) await tx.notifications.remove(notice.userId, notice.name);
      else await tx.notifications.write(notice.userId, notice.name, notice.content, this.keep);
    }
  }

  private toSharee(folder: SharedFolder, share: ShareRow, status: ShareRow['status'] | 'deleted'): void {
    this.notices.push({
      userId: share.userId,
      name: inviteName(share.inviteUid),
      content: {
        type: 'invite-notification',
        inviteUid: share.inviteUid,
        sharee: this.person(share.userId),
        owner: this.person(folder.ownerUserId),
        folderId: folder.folderId,
        status,
        rights: share.rights,
        summary: share.summary,
        components: folder.components,
      },
    });
  }

  /** A user the directory was asked about; one who came in meanwhile (a concurrent change) by id alone. */
  private person(userId: number): NotifiedUser {
    return this.people.get(userId) ?? { userId, email: null, displayName: '' };
  }
}
