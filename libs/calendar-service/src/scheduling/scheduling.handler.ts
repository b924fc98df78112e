import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesRequest } from '@davmesh/bus';
import { CalendarInboxDeliver, CalendarInboxOpen, CalendarInboxUpdate, CalendarScheduleFreeBusy } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { SchedulingService } from './scheduling.service';

/** Bus entry points of the schedule inbox and of free-busy between users. */
@Controller()
export class SchedulingHandler {
  constructor(
    @Inject(SchedulingService) private readonly scheduling: SchedulingService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesRequest(CalendarInboxOpen)
  open(@Payload() payload: unknown) {
    return handleRequest(CalendarInboxOpen, payload, this.logger, (r) => this.scheduling.open(r.userId));
  }

  @HandlesRequest(CalendarInboxUpdate)
  update(@Payload() payload: unknown) {
    return handleRequest(CalendarInboxUpdate, payload, this.logger, (r) => this.scheduling.update(r));
  }

  @HandlesRequest(CalendarInboxDeliver)
  deliver(@Payload() payload: unknown) {
    return handleRequest(CalendarInboxDeliver, payload, this.logger, (r) => this.scheduling.deliver(r.userId, r.ical, r.limits));
  }

  @HandlesRequest(CalendarScheduleFreeBusy)
  freeBusy(@Payload() payload: unknown) {
    return handleRequest(CalendarScheduleFreeBusy, payload, this.logger, (r) => this.scheduling.freeBusy(r.userId, r.start, r.end, r.recipients, r.limits));
  }
}
