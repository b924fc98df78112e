import { Controller, Inject, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { handleRequest, HandlesRequest } from '@davmesh/bus';
import { type HealthReport, type RequestContract, type ServiceName } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { checkHealth, newInstanceId } from './health';

/** The bus handler of a service's `<service>.v1.health` subject, answered from its own schema. */
export function healthHandlerFor(
  contract: RequestContract<Record<string, never>, HealthReport>,
  service: ServiceName,
  schema: string,
): Type<unknown> {
  @Controller()
  class HealthHandler {
    private readonly instanceId = newInstanceId(service);

    constructor(
      @Inject(DataSource) private readonly dataSource: DataSource,
      @Inject(LOGGER) private readonly logger: Logger,
    ) {}

    @HandlesRequest(contract)
    health(@Payload() payload: unknown) {
      return handleRequest(contract, payload, this.logger, () => checkHealth(this.dataSource, schema, service, this.instanceId));
    }
  }
  return HealthHandler;
}
