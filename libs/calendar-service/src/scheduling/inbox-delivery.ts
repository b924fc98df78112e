import { randomUUID } from 'node:crypto';
import { type InboxDelivery } from '@davmesh/contracts';
import { type SchedulingMessageSummary } from '@davmesh/ical';
import { type Announce } from '@davmesh/storage';
import { announceChange, type CalendarTransaction } from '../calendar.unit-of-work';
import { etagOf } from '../objects/etag';

/** A message parsed and checked, ready to store: what `deliverToInbox` needs inside a transaction. */
export interface SchedulingMessage extends SchedulingMessageSummary {
  ical: string;
}

/**
 * Stores a checked message in the user's inbox inside the caller's transaction (scheduling
 * delivers there with the write that caused it): the inbox made if missing and its row held,
 * a new name, the revision raised and the change logged and announced as any write's.
 */
export async function deliverToInbox(tx: CalendarTransaction, announce: Announce, userId: number, message: SchedulingMessage): Promise<InboxDelivery> {
  const { folder } = await tx.folders.ensureInbox(userId, true);
  const name = `${randomUUID()}.ics`;
  const etag = etagOf(message.ical);
  // An inbox holds every message, several of one UID among them (an update, each attendee's
  // reply): its index keeps the name where a calendar keeps the UID, and no time span.
  const revision = await tx.objects.upsertAtNextRevision(folder.folderId, { name, uid: name, component: message.component, etag, ical: message.ical, firstStart: '-infinity', lastEnd: 'infinity' });
  announceChange(announce, folder.folderId, userId, revision);
  return { folderId: folder.folderId, name, etag, revision };
}
