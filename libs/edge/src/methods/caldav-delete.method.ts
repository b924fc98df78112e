import { Inject, Injectable } from '@nestjs/common';
import { CalendarFoldersDelete, CalendarObjectsDelete } from '@davmesh/contracts';
import { CaldavResources } from '../caldav/caldav-resources';
import { writePrecondition } from '../http/conditional-headers';
import { type DavExchange } from '../http/dav-exchange';
import { type DavMethod } from './dav-method';

/** DELETE a calendar object (If-Match decided in the service's transaction) or a whole calendar. */
@Injectable()
export class CaldavDeleteMethod implements DavMethod {
  readonly method = 'DELETE';
  readonly kinds = ['calendar', 'calendar-object'] as const;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const { response, resource, user } = exchange;
    const scope = await this.caldav.openFor(exchange);
    const view = this.caldav.collection(scope, resource);
    const caller = { userId: user.userId, folderId: view.folder.folderId };
    if (resource.kind === 'calendar-object') {
      await this.caldav.call(CalendarObjectsDelete, { ...caller, name: resource.name, precondition: writePrecondition(exchange) });
    } else {
      await this.caldav.call(CalendarFoldersDelete, caller);
    }
    response.statusCode = 204;
    response.setHeader('Content-Length', '0');
    response.end();
  }
}
