import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type ImipMessageStatus, type ImipReference } from '@davmesh/contracts';
import { scheduleStatusesOf, withScheduleStatus, type ItipOptions } from '@davmesh/itip';
import { type Announce } from '@davmesh/storage';
import { announceChange, type CalendarTransaction } from '../calendar.unit-of-work';
import { etagOf } from '../objects/etag';
import { ImipOutcomes } from './imip-queue';
import { readable, STORED_COPY_LIMITS } from './stored-copies';

const STORED_COPY: ItipOptions = { limits: STORED_COPY_LIMITS };

/**
 * What the relay made of a message, written as SCHEDULE-STATUS onto the sender's copy (RFC 6638
 * 3.2.9): the ATTENDEE of an organizer's REQUEST or CANCEL, the ORGANIZER of an attendee's
 * REPLY. A write like any scheduling delivery: new ETag, revision and change log, the folder
 * announced; the Schedule-Tag stays (the owner did not write). Runs inside the transaction that
 * records the attempt (docs/scheduling-imip.md, "Outcomes on the copy").
 *
 * A copy that moved on is left alone: only the newest message to a recipient about a UID
 * speaks for them (an older one settling late, after retries, never overwrites what a newer
 * one queued or settled), and only a status still pending here (1.x) is replaced, so an answer
 * the recipient sent meanwhile (2.0), or a status the owner's client set, is kept.
 */
@Injectable()
export class ScheduleStatusWriteback implements OnModuleInit {
  constructor(@Inject(ImipOutcomes) private readonly outcomes: ImipOutcomes) {}

  onModuleInit(): void {
    this.outcomes.onOutcome((tx, status, announce) => this.write(tx, status, announce));
  }

  async write(tx: CalendarTransaction, status: ImipMessageStatus, announce: Announce): Promise<void> {
    const reference = status.reference;
    // A retry keeps the 1.0 the message was queued with: nothing to write until it settles.
    if (!reference || status.state === 'queued') return;
    const [found] = await tx.objects.copiesByUid(reference.ownerUserId, reference.uid);
    if (!found) return;
    // The folder's row held, as a PUT holds it: the copy read next is the one a concurrent write left.
    const folder = await tx.folders.access(found.folderId, reference.ownerUserId, true);
    const copy = folder && (await tx.objects.readStored(found.folderId, found.name));
    if (!folder || !copy || copy.uid !== reference.uid) return;
    if (await tx.imip.hasNewer(status.messageId, reference)) return;
    const ical = withOutcome(copy.ical, reference, status.scheduleStatus);
    if (ical === undefined) return;
    const revision = await tx.objects.upsertAtNextRevision(found.folderId, { ...copy, ical, etag: etagOf(ical) });
    announceChange(announce, found.folderId, folder.ownerUserId, revision);
  }
}

/**
 * The copy with the recipient's new status; undefined when it does not name them, their status is
 * no longer this server's pending one, or is that already, or the copy no longer reads within the bounds.
 */
function withOutcome(ical: string, reference: ImipReference, scheduleStatus: string): string | undefined {
  return readable(() => {
    const current = scheduleStatusesOf(ical, reference.recipient, STORED_COPY);
    if (current.length === 0 || !current.every((code) => code?.startsWith('1.'))) return undefined;
    if (current.every((code) => code === scheduleStatus)) return undefined;
    return withScheduleStatus(ical, { [reference.recipient]: scheduleStatus }, STORED_COPY);
  });
}
