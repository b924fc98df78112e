import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { BusClient, handleRequest, HandlesRequest } from '@davmesh/bus';
import { ImipEnqueue, ImipOutgoingList, ImipReceive } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { CalendarUnitOfWork } from '../calendar.unit-of-work';
import { ImipOutgoingRepository } from './imip-outgoing.repository';
import { ImipQueue } from './imip-queue';
import { ImipReceiveService } from './imip-receive.service';

/** Bus entry points of iMIP: the outgoing queue (for other teams and tests) and incoming messages. */
@Controller()
export class ImipHandler {
  constructor(
    @Inject(ImipQueue) private readonly queue: ImipQueue,
    @Inject(ImipOutgoingRepository) private readonly outgoing: ImipOutgoingRepository,
    @Inject(ImipReceiveService) private readonly incoming: ImipReceiveService,
    @Inject(CalendarUnitOfWork) private readonly unitOfWork: CalendarUnitOfWork,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesRequest(ImipEnqueue)
  enqueue(@Payload() payload: unknown) {
    return handleRequest(ImipEnqueue, payload, this.logger, (message) => this.unitOfWork.transaction((tx) => this.queue.enqueue(tx, message)));
  }

  @HandlesRequest(ImipOutgoingList)
  list(@Payload() payload: unknown) {
    return handleRequest(ImipOutgoingList, payload, this.logger, async (r) => {
      const read = await this.outgoing.list({ state: r.state, ownerUserId: r.ownerUserId }, r.after, r.limit);
      const messages = this.bus.replyBudget().fill(read);
      return messages.length === r.limit || messages.length < read.length ? { messages, nextCursor: messages[messages.length - 1].messageId } : { messages };
    });
  }

  @HandlesRequest(ImipReceive)
  receive(@Payload() payload: unknown) {
    return handleRequest(ImipReceive, payload, this.logger, (r) => this.incoming.receive(r));
  }
}
