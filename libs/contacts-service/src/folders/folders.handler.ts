import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesRequest } from '@davmesh/bus';
import { ContactFoldersAdminShare, ContactFoldersCreate, ContactFoldersDelete, ContactFoldersList, ContactFoldersShare, ContactFoldersUpdate } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { FoldersService } from './folders.service';

@Controller()
export class FoldersHandler {
  constructor(
    @Inject(FoldersService) private readonly folders: FoldersService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesRequest(ContactFoldersList)
  list(@Payload() payload: unknown) {
    return handleRequest(ContactFoldersList, payload, this.logger, (r) => this.folders.list(r.contextId, r.userId));
  }

  @HandlesRequest(ContactFoldersCreate)
  create(@Payload() payload: unknown) {
    return handleRequest(ContactFoldersCreate, payload, this.logger, (r) =>
      this.folders.create(r.contextId, r.userId, r.slug, r.displayName, r.description, r.dead),
    );
  }

  @HandlesRequest(ContactFoldersUpdate)
  update(@Payload() payload: unknown) {
    return handleRequest(ContactFoldersUpdate, payload, this.logger, ({ contextId, userId, folderId, ...change }) =>
      this.folders.update(contextId, userId, folderId, change),
    );
  }

  @HandlesRequest(ContactFoldersDelete)
  delete(@Payload() payload: unknown) {
    return handleRequest(ContactFoldersDelete, payload, this.logger, (r) => this.folders.delete(r.contextId, r.userId, r.folderId));
  }

  @HandlesRequest(ContactFoldersShare)
  share(@Payload() payload: unknown) {
    return handleRequest(ContactFoldersShare, payload, this.logger, (r) =>
      this.folders.share(r.contextId, r.userId, r.folderId, r.granteeUserId, r.rights),
    );
  }

  @HandlesRequest(ContactFoldersAdminShare)
  adminShare(@Payload() payload: unknown) {
    return handleRequest(ContactFoldersAdminShare, payload, this.logger, (r) =>
      this.folders.adminShare(r.contextId, r.folderId, r.granteeUserId, r.rights),
    );
  }
}
