import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesRequest } from '@davmesh/bus';
import {
  ContactObjectsDelete,
  ContactObjectsGet,
  ContactObjectsList,
  ContactObjectsMove,
  ContactObjectsPut,
  ContactObjectsQuery,
  ContactSyncChanges,
} from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { SyncService } from '../sync/sync.service';
import { ObjectsService } from './objects.service';

@Controller()
export class ObjectsHandler {
  constructor(
    @Inject(ObjectsService) private readonly objects: ObjectsService,
    @Inject(SyncService) private readonly sync: SyncService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesRequest(ContactObjectsList)
  list(@Payload() payload: unknown) {
    return handleRequest(ContactObjectsList, payload, this.logger, (r) =>
      this.objects.list(r.contextId, r.userId, r.folderIds, r.withData, r.cursor, r.limit),
    );
  }

  @HandlesRequest(ContactObjectsGet)
  get(@Payload() payload: unknown) {
    return handleRequest(ContactObjectsGet, payload, this.logger, (r) => this.objects.get(r.contextId, r.userId, r.folderIds, r.names));
  }

  @HandlesRequest(ContactObjectsQuery)
  query(@Payload() payload: unknown) {
    return handleRequest(ContactObjectsQuery, payload, this.logger, (r) =>
      this.objects.query(r.contextId, r.userId, r.folderIds, r.filter, r.cursor, r.limit),
    );
  }

  @HandlesRequest(ContactObjectsPut)
  put(@Payload() payload: unknown) {
    return handleRequest(ContactObjectsPut, payload, this.logger, (r) => this.objects.put(r));
  }

  @HandlesRequest(ContactObjectsDelete)
  delete(@Payload() payload: unknown) {
    return handleRequest(ContactObjectsDelete, payload, this.logger, (r) =>
      this.objects.delete(r.contextId, r.userId, r.folderIds, r.name, r.precondition),
    );
  }

  @HandlesRequest(ContactObjectsMove)
  move(@Payload() payload: unknown) {
    return handleRequest(ContactObjectsMove, payload, this.logger, (r) =>
      this.objects.move(r.contextId, r.userId, r.folderIds, r.name, r.toFolderId, r.toName, r.overwrite, r.precondition),
    );
  }

  @HandlesRequest(ContactSyncChanges)
  changes(@Payload() payload: unknown) {
    return handleRequest(ContactSyncChanges, payload, this.logger, (r) =>
      this.sync.changes(r.contextId, r.userId, r.folderIds, r.since, r.limit),
    );
  }
}
