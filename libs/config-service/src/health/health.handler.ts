import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesRequest } from '@davmesh/bus';
import { ConfigHealth } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { checkHealth, newInstanceId } from '@davmesh/storage';
import { DataSource } from 'typeorm';
import { CONFIG_SCHEMA } from '../directory/directory.entities';

@Controller()
export class HealthHandler {
  private readonly instanceId = newInstanceId('config');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesRequest(ConfigHealth)
  health(@Payload() payload: unknown) {
    return handleRequest(ConfigHealth, payload, this.logger, () =>
      checkHealth(this.dataSource, CONFIG_SCHEMA, 'config', this.instanceId),
    );
  }
}
