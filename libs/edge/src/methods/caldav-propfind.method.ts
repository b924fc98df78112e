import { Inject, Injectable } from '@nestjs/common';
import { CaldavResources } from '../caldav/caldav-resources';
import { calendarObjectContext, collectionContext } from '../caldav/calendar-context';
import { ServerSettingsService } from '../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { xmlBodyLimits } from '../http/request-body';
import { PropertyRenderer } from '../properties/property-renderer';
import { ReportRegistry } from '../reports/report-registry';
import { startMultistatus } from '../reports/report-request';
import { type DavMethod } from './dav-method';
import { readPropfindInput } from './propfind-input';

/**
 * PROPFIND on the calendar home (Depth 1: the user's calendars), a calendar (Depth 1: its
 * objects inside the sync window, streamed page by page) and an object.
 */
@Injectable()
export class CaldavPropfindMethod implements DavMethod {
  readonly method = 'PROPFIND';
  readonly kinds = ['calendar-home', 'calendar', 'calendar-object'] as const;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
    @Inject(ReportRegistry) private readonly reports: ReportRegistry,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource, user } = exchange;
    const scope = await this.caldav.open(exchange);
    const { depth, propfind, minimal } = await readPropfindInput(request, xmlBodyLimits(await this.serverSettings.current()));
    if (resource.kind === 'calendar-object') {
      const { view, object } = await this.caldav.object(scope, resource);
      if (!object) throw new DavHttpError(404, 'no such calendar object');
      const writer = startMultistatus(response);
      await writer.write(writer.response(this.renderer.describe(calendarObjectContext(scope, view, object), propfind, minimal)));
    writer.end();
      return;
    }
    if (resource.kind === 'calendar-home') {
      const writer = startMultistatus(response);
      await writer.write(writer.response(this.renderer.describe(collectionContext(scope, this.reports), propfind, minimal)));
      if (depth === '1') {
        for (const calendar of scope.calendars) {
          await writer.write(writer.response(this.renderer.describe(collectionContext(scope, this.reports, calendar), propfind, minimal)));
        }
      }
      writer.end();
      return;
    }
    const view = this.caldav.collection(scope, resource);
    const writer = startMultistatus(response);
    await writer.write(writer.response(this.renderer.describe(collectionContext(scope, this.reports, view), propfind, minimal)));
    if (depth === '1') {
      for await (const page of this.caldav.objects(user, view, scope.window)) {
        const chunk = page.map((object) => writer.response(this.renderer.describe(calendarObjectContext(scope, view, object), propfind, minimal)));
        await writer.write(chunk.join(''));
      }
    }
    writer.end();
  }
}
