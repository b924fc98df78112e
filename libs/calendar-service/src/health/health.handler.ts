import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesRequest } from '@davmesh/bus';
import { CalendarHealth } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { checkHealth, newInstanceId } from '@davmesh/storage';
import { DataSource } from 'typeorm';
import { CALENDAR_SCHEMA } from '../schema';

@Controller()
export class HealthHandler {
  private readonly instanceId = newInstanceId('calendar');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesRequest(CalendarHealth)
  health(@Payload() payload: unknown) {
    return handleRequest(CalendarHealth, payload, this.logger, () =>
      checkHealth(this.dataSource, CALENDAR_SCHEMA, 'calendar', this.instanceId),
    );
  }
}
