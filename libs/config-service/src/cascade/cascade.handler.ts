import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesRequest } from '@davmesh/bus';
import { ConfigResolve } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { CascadeService } from './cascade.service';

@Controller()
export class CascadeHandler {
  constructor(
    @Inject(CascadeService) private readonly cascade: CascadeService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesRequest(ConfigResolve)
  resolve(@Payload() payload: unknown) {
    return handleRequest(ConfigResolve, payload, this.logger, (r) => this.cascade.resolve(r.userId));
  }
}
