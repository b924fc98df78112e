import { Inject, Injectable } from '@nestjs/common';
import { CalendarFreeBusy } from '@davmesh/contracts';
import { caldav, firstChild, type XmlElement, Condition } from '@davmesh/dav';
import { calendarLimits } from './calendar-limits';
import { CaldavResources } from './caldav-resources';
import { closedRange } from './calendar-query-request';
import { renderFreeBusy } from './free-busy-body';
import { preconditionError } from '../http/reply-errors';
import { type DavExchange } from '../http/dav-exchange';
import { type DavReport } from '../reports/dav-report';

/** A free-busy-query body: its closed time range. */
export interface FreeBusyQueryRequest {
  start: string;
  end: string;
}

/** RFC 4791 7.10: the calendar's busy time in a range, as one VFREEBUSY (200 text/calendar, not a multistatus). */
@Injectable()
export class FreeBusyQueryReport implements DavReport<FreeBusyQueryRequest> {
  readonly name = caldav('free-busy-query');
  readonly kinds = ['calendar'] as const;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
  ) {}

  read(body: XmlElement): FreeBusyQueryRequest {
    const range = firstChild(body, caldav('time-range'));
    if (!range) throw preconditionError(403, Condition.ValidFilter);
    return closedRange(range);
  }

  async run(exchange: DavExchange, { start, end }: FreeBusyQueryRequest): Promise<void> {
    const scope = await this.caldav.openFor(exchange);
    const view = this.caldav.collection(scope, exchange.resource);
    const { busy } = await this.caldav.call(CalendarFreeBusy, { userId: exchange.user.userId, folderId: view.folder.folderId, start, end, limits: calendarLimits(scope.config) });
    const text = renderFreeBusy(start, end, busy);
    exchange.response.statusCode = 200;
    exchange.response.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    exchange.response.setHeader('Content-Length', String(Buffer.byteLength(text)));
    exchange.response.end(text);
  }
}
