import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import {
  CalendarFolderChanged,
  DomainException,
  emailOfCalendarAddress,
  UsersList,
  type ImipReceived,
  type ImipReceiveRequest,
  type ImipReplyRefusal,
} from '@davmesh/contracts';
import { readCalendarObject } from '@davmesh/ical';
import { LOGGER, type Logger } from '@davmesh/logging';
import { CalendarUnitOfWork } from '../calendar.unit-of-work';
import { etagOf } from '../objects/etag';
import { spanColumns } from '../objects/span-columns';
import { OrganizerCopyRepository } from './organizer-copies.repository';
import { applyReplyPartstat, readItipReply, ReplyRefused } from './reply-partstat';

const CODE_OF: Record<ImipReplyRefusal, 'bad-request' | 'forbidden' | 'not-found'> = {
  'not-a-reply': 'bad-request',
  'sender-mismatch': 'forbidden',
  'not-an-attendee': 'forbidden',
  'unknown-organizer': 'not-found',
  'unknown-event': 'not-found',
};

const refused = (condition: ImipReplyRefusal, message: string) => new DomainException(CODE_OF[condition], message, { condition });

/**
 * An external attendee's iMIP REPLY (RFC 6047, RFC 5546 3.2.3), as the MTA pipe hands it over:
 * the organizer is a user of the directory (any context) with the ORGANIZER's e-mail address,
 * the event the one of that UID in their calendars; the From of the mail must be the reply's
 * ATTENDEE (RFC 6047 2.2.1: only the respondent may state their status) and an attendee of
 * that event. Only their PARTSTAT is taken, and the change is a write like any other: revision,
 * ETag, change log and folder event.
 */
@Injectable()
export class ImipReplyService {
  constructor(
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(CalendarUnitOfWork) private readonly unitOfWork: CalendarUnitOfWork,
    @Inject(OrganizerCopyRepository) private readonly copies: OrganizerCopyRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async receive(request: ImipReceiveRequest): Promise<ImipReceived> {
    try {
      const received = await this.apply(request);
      this.logger.info({ from: request.from, ...received }, 'iMIP reply received');
      return received;
    } catch (error) {
      const domain = error instanceof ReplyRefused ? refused(error.condition, error.message) : error;
      if (domain instanceof DomainException && typeof domain.details?.condition === 'string') {
        this.logger.info({ from: request.from, condition: domain.details.condition }, `iMIP reply refused: ${domain.message}`);
      }
      throw domain;
    }
  }

  private async apply(request: ImipReceiveRequest): Promise<ImipReceived> {
    const reply = readItipReply(request.ical);
    if (emailOfCalendarAddress(request.from) !== reply.attendee) {
      throw refused('sender-mismatch', `the reply is for ${reply.attendee}, but the mail is from ${request.from}`);
    }
    // Before the transaction: it never waits on a request.
    const organizers = (await this.bus.call(UsersList, {})).filter((u) => u.enabled && u.email?.toLowerCase() === reply.organizer);
    if (organizers.length === 0) throw refused('unknown-organizer', `no user has the address ${reply.organizer}`);
    const copy = await this.copies.findByUid(organizers.map((u) => u.userId), reply.uid);
    if (!copy) throw refused('unknown-event', `${reply.organizer} has no event ${reply.uid}`);
    return this.unitOfWork.transaction(async (tx, announce) => {
      const folder = await tx.folders.access(copy.folderId, copy.ownerUserId, true);
      const stored = folder && (await tx.objects.readStored(copy.folderId, copy.name));
      if (!stored || stored.uid !== reply.uid) throw refused('unknown-event', `${reply.organizer} has no event ${reply.uid}`);
      const applied = applyReplyPartstat(stored.ical, reply);
      const answer = { organizerUserId: copy.ownerUserId, folderId: copy.folderId, name: copy.name };
      if (!applied.changed) return { outcome: applied.outdated ? 'outdated' : 'unchanged', ...answer, etag: stored.etag };
      const etag = etagOf(applied.ical);
      const summary = readCalendarObject(applied.ical);
      await tx.objects.upsert(copy.folderId, { ...stored, etag, ical: applied.ical, ...spanColumns(summary.span) });
      const revision = await tx.folders.bumpRevision(copy.folderId);
      await tx.objects.recordChange(copy.folderId, copy.name, revision, false);
      announce(CalendarFolderChanged, { folderId: copy.folderId, ownerUserId: copy.ownerUserId, revision });
      return { outcome: 'applied', ...answer, etag };
    });
  }
}
