import { Inject, Injectable } from '@nestjs/common';
import { CalendarObjectsQuery } from '@davmesh/contracts';
import { caldav, el, encodeHref, firstChild, type XmlElement, Condition } from '@davmesh/dav';
import { calendarLimits } from './calendar-limits';
import { CaldavResources } from './caldav-resources';
import { calendarObjectContext } from './calendar-context';
import { calendarReportProps, parseCalendarFilter } from './calendar-query-request';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { wantsMinimal } from '../http/dav-headers';
import { PropertyRenderer } from '../properties/property-renderer';
import { type DavReport } from '../reports/dav-report';
import { startMultistatus } from '../reports/report-request';

const PAGE = 200;

/** A later page refused for its cost ends the answer as a limit reached; the 207 has gone out already. */
function beyondLimits(error: unknown): undefined {
  if (error instanceof DavHttpError && error.status === 507) return undefined;
  throw error;
}

/**
 * RFC 4791 7.8: the calendar's objects matching the filter, inside the user's sync window,
 * evaluated by the calendar service (recurrence included), page by page; calendar-data
 * `expand`, `limit-recurrence-set` and the comp/prop selection are applied there too.
 */
@Injectable()
export class CalendarQueryReport implements DavReport {
  readonly name = caldav('calendar-query');
  readonly kinds = ['calendar'] as const;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
  ) {}

  async run(exchange: DavExchange, body: XmlElement): Promise<void> {
    const { request, response, resource, user } = exchange;
    const filter = parseCalendarFilter(firstChild(body, caldav('filter')));
    const { propfind, calendarData } = calendarReportProps(body);
    const scope = await this.caldav.openFor(exchange);
    const view = this.caldav.collection(scope, resource);
    const query = { userId: user.userId, folderId: view.folder.folderId, filter, window: scope.window, limit: PAGE, limits: calendarLimits(scope.config), ...calendarData };
    // The first page before the 207 goes out, so a refusal still answers with its own status.
    let page = await this.caldav.call(CalendarObjectsQuery, query);
    const minimal = wantsMinimal(request);
    const writer = startMultistatus(response);
    // More matches than the limit end with a 507 for the collection (RFC 5323 5.3-style), never silently.
    let room = Number(scope.config.values['davmesh.limits.queryResults'].value);
    for (;;) {
      const shown = page.objects.slice(0, room);
      room -= shown.length;
      const chunk = shown.map((object) => writer.response(this.renderer.describe(calendarObjectContext(scope, view, object), propfind, minimal)));
      await writer.write(chunk.join(''));
      const more = page.nextCursor !== undefined || shown.length < page.objects.length;
      if (!more) break;
      const next = room > 0 ? await this.caldav.call(CalendarObjectsQuery, { ...query, after: page.nextCursor }).catch(beyondLimits) : undefined;
      if (!next) {
        await writer.write(writer.status(encodeHref(view.href), 507, el(Condition.NumberOfMatchesWithinLimits)));
        break;
      }
      page = next;
    }
    writer.end();
  }
}
