import { Inject, Injectable } from '@nestjs/common';
import { caldav, type XmlElement } from '@davmesh/dav';
import { CaldavResources } from '../caldav/caldav-resources';
import { calendarObjectContext } from '../caldav/calendar-context';
import { calendarReportProps } from '../caldav/calendar-query-request';
import { type DavExchange } from '../http/dav-exchange';
import { wantsMinimal } from '../http/dav-headers';
import { PropertyRenderer } from '../properties/property-renderer';
import { type DavReport } from './dav-report';
import { hrefNames, multigetHrefs } from './href-names';
import { writeMultiget } from './multiget-answer';
import { startMultistatus } from './report-request';

/** RFC 4791 7.9: the named objects of the calendar, 404 for each href it does not hold; written a bus reply at a time. */
@Injectable()
export class CalendarMultigetReport implements DavReport {
  readonly name = caldav('calendar-multiget');
  readonly kinds = ['calendar'] as const;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
  ) {}

  async run(exchange: DavExchange, body: XmlElement): Promise<void> {
    const { request, response, resource } = exchange;
    const scope = await this.caldav.openFor(exchange);
    const view = this.caldav.collection(scope, resource);
    const { propfind, calendarData } = calendarReportProps(body);
    const hrefs = multigetHrefs(body, scope.config);
    const names = hrefNames(view.href, hrefs);
    const minimal = wantsMinimal(request);
    const writer = startMultistatus(response);
    const pages = this.caldav.pages(scope, view, [...new Set(names.values())], calendarData);
    await writeMultiget(writer, hrefs, names, pages, (object) => writer.response(this.renderer.describe(calendarObjectContext(scope, view, object), propfind, minimal)));
    writer.end();
  }
}
