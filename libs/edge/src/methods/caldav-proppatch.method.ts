import { Inject, Injectable } from '@nestjs/common';
import { CalendarFoldersUpdate } from '@davmesh/contracts';
import { dav, encodeHref, XmlParseError } from '@davmesh/dav';
import { CaldavResources } from '../caldav/caldav-resources';
import { readCalendarPropertyUpdate } from '../caldav/calendar-property-update';

import { ServerSettingsService } from '../config/server-settings.service';
import { type DavExchange } from '../http/dav-exchange';
import { readXmlBody, xmlBodyLimits } from '../http/request-body';
import { PropertyRegistry } from '../properties/property-registry';
import { startMultistatus } from '../reports/report-request';
import { type DavMethod } from './dav-method';

/**
 * PROPPATCH of a calendar: displayname, description, timezone, Apple's color and order, and
 * dead properties; all or none (RFC 4918 9.2): one refusal fails the others with 424.
 */
@Injectable()
export class CaldavProppatchMethod implements DavMethod {
  readonly method = 'PROPPATCH';
  readonly kinds = ['calendar'] as const;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
    @Inject(PropertyRegistry) private readonly properties: PropertyRegistry,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource, user } = exchange;
    const scope = await this.caldav.open(exchange);
    const view = this.caldav.collection(scope, resource);
    const settings = await this.serverSettings.current();
    const root = await readXmlBody(request, xmlBodyLimits(settings), dav('propertyupdate'));
    if (!root) throw new XmlParseError('PROPPATCH needs a DAV:propertyupdate body');
    const update = readCalendarPropertyUpdate(root.children, this.properties, false, settings.limits['davmesh.limits.deadPropertyBytes']);
    const failed = update.refused.length > 0;
    if (!failed && update.accepted.length > 0) {
      await this.caldav.call(CalendarFoldersUpdate, {
        userId: user.userId,
        folderId: view.folder.folderId,
        props: update.props,
        ...(update.setDead.length > 0 ? { setDead: update.setDead } : {}),
        ...(update.removeDead.length > 0 ? { removeDead: update.removeDead } : {}),
      });
    }
    const writer = startMultistatus(response);
    const refusedWith = (status: number) => update.refused.filter((r) => r.status === status).map(({ name }) => ({ name }));
    await writer.write(
      writer.response({
        href: encodeHref(view.href),
        propstats: [
          { status: failed ? 424 : 200, props: update.accepted.map((name) => ({ name })) },
          { status: 403, props: refusedWith(403) },
          { status: 409, props: refusedWith(409) },
          { status: 507, props: refusedWith(507) },
        ],
      }),
    );
    writer.end();
  }
}
