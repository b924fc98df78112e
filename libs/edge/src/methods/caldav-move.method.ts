import { Inject, Injectable } from '@nestjs/common';
import { CalendarObjectsMove } from '@davmesh/contracts';
import { CaldavResources } from '../caldav/caldav-resources';
import { ServerSettingsService } from '../config/server-settings.service';
import { quoteEtag, writePrecondition } from '../http/conditional-headers';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { resolveDestination } from '../resources/destination';
import { type DavMethod } from './dav-method';

/** MOVE a calendar object to another of the user's calendars, or rename it. */
@Injectable()
export class CaldavMoveMethod implements DavMethod {
  readonly method = 'MOVE';
  readonly kinds = ['calendar-object'] as const;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource, user } = exchange;
    if (resource.kind !== 'calendar-object') return;
    const settings = await this.serverSettings.current();
    const destination = resolveDestination(request, settings.prefix, settings.proxyPrefix);
    if (destination?.kind !== 'calendar-object') throw new DavHttpError(400, 'Destination must name a calendar object');
    const scope = await this.caldav.openFor(exchange, [resource, destination]);
    const source = this.caldav.collection(scope, resource);
    const target = this.caldav.collection(scope, destination);
    const result = await this.caldav.call(CalendarObjectsMove, {
      userId: user.userId,
      folderId: source.folder.folderId,
      name: resource.name,
      toFolderId: target.folder.folderId,
      toName: destination.name,
      overwrite: String(request.headers['overwrite'] ?? 'T').toUpperCase() !== 'F',
      precondition: writePrecondition(exchange),
    }, scope.hrefOf);
    response.statusCode = result.created ? 201 : 204;
    response.setHeader('ETag', quoteEtag(result.etag));
    response.setHeader('Content-Length', '0');
    response.end();
  }
}
