import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesRequest } from '@davmesh/bus';
import {
  CalendarFoldersAdminShare,
  CalendarFoldersShare,
  CalendarFolderUrls,
  CalendarFoldersCreate,
  CalendarFreeBusy,
  CalendarFoldersDelete,
  CalendarFoldersList,
  CalendarFoldersUpdate,
  CalendarObjectsDelete,
  CalendarObjectsGet,
  CalendarObjectsList,
  CalendarObjectsMove,
  CalendarObjectsPut,
  CalendarObjectsQuery,
  CalendarSyncChanges,
} from '@davmesh/contracts';
import { EffectiveConfigCache } from '@davmesh/config-client';
import { LOGGER, type Logger } from '@davmesh/logging';
import { CalendarService } from './calendar.service';
import { SharingService } from './sharing/sharing.service';

/** Bus entry points of the calendar service: validate, call the service, reply. */
@Controller()
export class CalendarHandler {
  constructor(
    @Inject(CalendarService) private readonly calendar: CalendarService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EffectiveConfigCache) private readonly userConfig: EffectiveConfigCache,
    @Inject(SharingService) private readonly sharing: SharingService,
  ) {}

  @HandlesRequest(CalendarFoldersList)
  listFolders(@Payload() payload: unknown) {
    return handleRequest(CalendarFoldersList, payload, this.logger, (r) => this.calendar.listFolders(r.userId));
  }

  @HandlesRequest(CalendarFoldersCreate)
  createFolder(@Payload() payload: unknown) {
    return handleRequest(CalendarFoldersCreate, payload, this.logger, (r) => this.calendar.createFolder(r));
  }

  @HandlesRequest(CalendarFoldersUpdate)
  updateFolder(@Payload() payload: unknown) {
    return handleRequest(CalendarFoldersUpdate, payload, this.logger, (r) => this.calendar.updateFolder(r));
  }

  @HandlesRequest(CalendarFoldersShare)
  share(@Payload() payload: unknown) {
    return handleRequest(CalendarFoldersShare, payload, this.logger, (r) => this.sharing.grant(r.userId, r.folderId, r.granteeUserId, r.rights));
  }

  @HandlesRequest(CalendarFoldersAdminShare)
  adminShare(@Payload() payload: unknown) {
    return handleRequest(CalendarFoldersAdminShare, payload, this.logger, (r) =>
      this.sharing.adminGrant(r.contextId, r.folderId, r.granteeUserId, r.rights),
    );
  }

  @HandlesRequest(CalendarFolderUrls)
  folderUrls(@Payload() payload: unknown) {
    return handleRequest(CalendarFolderUrls, payload, this.logger, async (r) => {
      const config = await this.userConfig.forUser(r.userId);
      return this.calendar.folderUrls(r.userId, r.hostname, String(config.values['com.openexchange.caldav.url'].value));
    });
  }

  @HandlesRequest(CalendarFoldersDelete)
  deleteFolder(@Payload() payload: unknown) {
    return handleRequest(CalendarFoldersDelete, payload, this.logger, (r) => this.calendar.deleteFolder(r.userId, r.folderId, r.limits, r.sharing));
  }

  @HandlesRequest(CalendarObjectsList)
  listObjects(@Payload() payload: unknown) {
    return handleRequest(CalendarObjectsList, payload, this.logger, (r) =>
      this.calendar.listObjects(r.userId, r.folderId, r.after, r.limit, r.window),
    );
  }

  @HandlesRequest(CalendarObjectsGet)
  getObjects(@Payload() payload: unknown) {
    return handleRequest(CalendarObjectsGet, payload, this.logger, (r) =>
      this.calendar.getObjects(r.userId, r.folderId, r.names, { expand: r.expand, limitRecurrenceSet: r.limitRecurrenceSet, select: r.select, limits: r.limits }),
    );
  }

  @HandlesRequest(CalendarObjectsPut)
  putObject(@Payload() payload: unknown) {
    return handleRequest(CalendarObjectsPut, payload, this.logger, (r) => this.calendar.putObject(r));
  }

  @HandlesRequest(CalendarObjectsDelete)
  deleteObject(@Payload() payload: unknown) {
    return handleRequest(CalendarObjectsDelete, payload, this.logger, (r) => this.calendar.deleteObject(r));
  }

  @HandlesRequest(CalendarObjectsMove)
  moveObject(@Payload() payload: unknown) {
    return handleRequest(CalendarObjectsMove, payload, this.logger, (r) => this.calendar.moveObject(r));
  }

  @HandlesRequest(CalendarObjectsQuery)
  query(@Payload() payload: unknown) {
    return handleRequest(CalendarObjectsQuery, payload, this.logger, (r) => this.calendar.query(r));
  }

  @HandlesRequest(CalendarFreeBusy)
  freeBusy(@Payload() payload: unknown) {
    return handleRequest(CalendarFreeBusy, payload, this.logger, (r) => this.calendar.freeBusy(r.userId, r.folderId, r.start, r.end, r.limits));
  }

  @HandlesRequest(CalendarSyncChanges)
  syncChanges(@Payload() payload: unknown) {
    return handleRequest(CalendarSyncChanges, payload, this.logger, (r) =>
      this.calendar.syncChanges(r.userId, r.folderId, r.sinceRevision, r.limit, r.window),
    );
  }
}
