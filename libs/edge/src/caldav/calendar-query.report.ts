import { Inject, Injectable } from '@nestjs/common';
import { CalendarObjectsQuery, type CalendarObject, type CompFilter } from '@davmesh/contracts';
import { caldav, firstChild, type XmlElement } from '@davmesh/dav';
import { calendarLimits } from './calendar-limits';
import { CaldavResources } from './caldav-resources';
import { calendarObjectContext } from './calendar-context';
import { calendarReportProps, parseCalendarFilter, type CalendarMemberProps } from './calendar-query-request';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { PropertyRenderer } from '../properties/property-renderer';
import { type DavReport } from '../reports/dav-report';
import { writeMatches, type MatchPage } from '../reports/query-matches';

const PAGE = 200;

/** A calendar-query body: the filter, and what to say of each match (its calendar-data shaped as asked). */
export interface CalendarQueryRequest {
  filter: CompFilter;
  props: CalendarMemberProps;
}

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
export class CalendarQueryReport implements DavReport<CalendarQueryRequest> {
  readonly name = caldav('calendar-query');
  readonly kinds = ['calendar'] as const;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
  ) {}

  read(body: XmlElement): CalendarQueryRequest {
    return { filter: parseCalendarFilter(firstChild(body, caldav('filter'))), props: calendarReportProps(body) };
  }

  async run(exchange: DavExchange, { filter, props: { propfind, calendarData } }: CalendarQueryRequest): Promise<void> {
    const { resource, user } = exchange;
    const scope = await this.caldav.openFor(exchange);
    const view = this.caldav.collection(scope, resource);
    const query = { userId: user.userId, folderId: view.folder.folderId, filter, window: scope.window, limit: PAGE, limits: calendarLimits(scope.config), ...calendarData };
    const pageOf = (page: { objects: CalendarObject[]; nextCursor?: string }): MatchPage<CalendarObject> => ({
      items: page.objects,
      next: page.nextCursor === undefined ? undefined : () => this.caldav.call(CalendarObjectsQuery, { ...query, after: page.nextCursor }).then(pageOf, beyondLimits),
    });
    // The first page before the 207 goes out, so a refusal still answers with its own status.
    const first = pageOf(await this.caldav.call(CalendarObjectsQuery, query));
    await writeMatches(exchange, this.renderer, first, {
      href: view.href,
      propfind,
      limit: Number(scope.config.values['davmesh.limits.queryResults'].value),
      lookAhead: false,
      context: (object) => calendarObjectContext(scope, view, object),
    });
  }
}
