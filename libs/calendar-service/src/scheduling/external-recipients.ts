import { Inject, Injectable } from '@nestjs/common';
import { ScheduleStatus, type ItipMessage } from '@davmesh/itip';
import { type CalendarTransaction } from '../calendar.unit-of-work';
import { ImipQueue } from '../imip/imip-queue';

/**
 * Where implicit scheduling hands a message for recipients outside the server: `mailto:`
 * addresses no user of the sender's context has (people elsewhere, users of other contexts).
 * Called inside the transaction of the write that sends it, once per message and external
 * recipient; the answer is the SCHEDULE-STATUS the organizer's copy shows for that recipient
 * (RFC 6638 3.2.9: 1.0 queued, 1.1 sent, 5.x not delivered).
 */
export abstract class ExternalRecipients {
  abstract send(tx: CalendarTransaction, message: ItipMessage): Promise<string>;
}

/** No mail relay: nothing leaves the server, and the status says so (5.2, will not be delivered). */
@Injectable()
export class NoMailRelay extends ExternalRecipients {
  async send(): Promise<string> {
    return ScheduleStatus.NoDelivery;
  }
}

/**
 * iMIP (RFC 6047): the message goes into the outgoing mail queue in the write's own transaction
 * (docs/scheduling-imip.md); the organizer's copy shows 1.0 (queued), or 3.7 for an address that
 * is no e-mail address. What the relay later answers is in the queue (`davmesh imip queue`);
 * it is not yet written back onto the organizer's copy.
 */
@Injectable()
export class MailQueueRecipients extends ExternalRecipients {
  constructor(@Inject(ImipQueue) private readonly queue: ImipQueue) {
    super();
  }

  async send(tx: CalendarTransaction, message: ItipMessage): Promise<string> {
    const [to] = message.recipients;
    const enqueued = await this.queue.enqueue(tx, { from: message.originator, to, method: message.method, ical: message.ical });
    return enqueued.scheduleStatus;
  }
}
