import { Injectable } from '@nestjs/common';
import { ScheduleStatus, type ItipMessage } from '@davmesh/itip';
import { type CalendarTransaction } from '../calendar.unit-of-work';

/**
 * Where implicit scheduling hands a message for recipients outside the server: `mailto:`
 * addresses no user of the sender's context has (people elsewhere, users of other contexts).
 * Called inside the transaction of the write that sends it, once per message, with only the
 * external recipients; the answer is the SCHEDULE-STATUS the organizer's copy shows for each
 * of them (RFC 6638 3.2.9: 1.0 queued, 1.1 sent, 5.x not delivered). The one call site of iMIP
 * (RFC 6047): a mail queue that sends from this transaction's rows takes this port's place.
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
