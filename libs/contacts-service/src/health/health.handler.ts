import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesRequest } from '@davmesh/bus';
import { ContactsHealth } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { checkHealth, newInstanceId } from '@davmesh/storage';
import { DataSource } from 'typeorm';
import { CONTACTS_SCHEMA } from '../schema';

@Controller()
export class HealthHandler {
  private readonly instanceId = newInstanceId('contacts');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesRequest(ContactsHealth)
  health(@Payload() payload: unknown) {
    return handleRequest(ContactsHealth, payload, this.logger, () =>
      checkHealth(this.dataSource, CONTACTS_SCHEMA, 'contacts', this.instanceId),
    );
  }
}
