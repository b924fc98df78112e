import { Inject, Injectable } from '@nestjs/common';
import { CalendarFoldersCreate } from '@davmesh/contracts';
import { caldav, dav, el, renderDocument, statusLine } from '@davmesh/dav';
import { CaldavResources } from '../caldav/caldav-resources';
import { readCalendarPropertyUpdate } from '../caldav/calendar-property-update';
import { preconditionError } from '../carddav/reply-errors';
import { EDGE_OPTIONS, type EdgeOptions } from '../edge-options';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { readXmlBody } from '../http/request-body';
import { PropertyRegistry } from '../properties/property-registry';
import { type DavMethod } from './dav-method';

/** RFC 4791 5.3.1: a calendar at the client's name, with the initial properties of the body, or nothing at all. */
@Injectable()
export class MkcalendarMethod implements DavMethod {
  readonly method = 'MKCALENDAR';
  readonly kinds = ['calendar'] as const;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
    @Inject(PropertyRegistry) private readonly properties: PropertyRegistry,
    @Inject(EDGE_OPTIONS) private readonly options: EdgeOptions,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource, user } = exchange;
    if (resource.kind !== 'calendar') return;
    const scope = await this.caldav.open(exchange);
    if (scope.find(resource.segment)) throw preconditionError(405, dav('resource-must-be-null'));
    const root = await readXmlBody(request, this.options.maxXmlBytes, caldav('mkcalendar'));
    const update = readCalendarPropertyUpdate(root?.children ?? [], this.properties, true);
    if (update.refused.length > 0) {
      const propstat = (status: number, names: { ns: string; local: string }[]) =>
        el(dav('propstat'), [el(dav('prop'), names.map((name) => el(name))), el(dav('status'), statusLine(status))]);
      const statuses = [...new Set(update.refused.map((r) => r.status))];
      const body = renderDocument(
        el(caldav('mkcalendar-response'), [
          ...statuses.map((status) => propstat(status, update.refused.filter((r) => r.status === status).map((r) => r.name))),
          ...(update.accepted.length > 0 ? [propstat(424, update.accepted)] : []),
        ]),
      );
      throw new DavHttpError(403, 'a property of the new calendar cannot be set', body);
    }
    await this.caldav.call(CalendarFoldersCreate, {
      userId: user.userId,
      collectionName: resource.segment,
      ...(update.components ? { components: update.components } : {}),
      props: update.props,
      ...(update.setDead.length > 0 ? { dead: update.setDead } : {}),
    });
    response.statusCode = 201;
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('Content-Length', '0');
    response.end();
  }
}
