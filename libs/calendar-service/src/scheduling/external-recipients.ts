import { Inject, Injectable } from '@nestjs/common';
import { type User } from '@davmesh/contracts';
import { type ItipMessage } from '@davmesh/itip';
import { type CalendarTransaction } from '../calendar.unit-of-work';
import { ImipQueue } from '../imip/imip-queue';

/**
 * Where implicit scheduling hands a message for recipients outside the server: `mailto:`
 * addresses no user of the sender's context has (people elsewhere, users of other contexts).
 * Called inside the transaction of the write that sends it, once per message and external
 * recipient, with the owner of the copy that sends it; the answer is the SCHEDULE-STATUS that
 * copy shows for that recipient (RFC 6638 3.2.9: 1.0 queued, 3.7 not reachable).
 */
export abstract class ExternalRecipients {
  abstract send(tx: CalendarTransaction, message: ItipMessage, sender: User): Promise<string>;
}

/**
 * iMIP (RFC 6047): the message goes into the outgoing mail queue in the write's own transaction
 * (docs/scheduling-imip.md); the copy shows 1.0 (queued), or 3.7 for an address that is no e-mail
 * address. Its reference (the sender, the UID, the recipient) is where ScheduleStatusWriteback
 * writes what the relay later answers.
 */
@Injectable()
export class MailQueueRecipients extends ExternalRecipients {
  constructor(@Inject(ImipQueue) private readonly queue: ImipQueue) {
    super();
  }

  async send(tx: CalendarTransaction, message: ItipMessage, sender: User): Promise<string> {
    const [to] = message.recipients;
    const reference = { ownerUserId: sender.userId, uid: message.uid, recipient: to };
    const enqueued = await this.queue.enqueue(tx, { from: message.originator, to, method: message.method, ical: message.ical, reference });
    return enqueued.scheduleStatus;
  }
}
