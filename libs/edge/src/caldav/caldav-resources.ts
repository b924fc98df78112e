import { calendarLimits } from './calendar-limits';
import { Inject, Injectable } from '@nestjs/common';
import { BusClient, type RequestOptions } from '@davmesh/bus';
import {
  CalendarObjectsGet,
  CalendarObjectsList,
  type CalendarObject,
  type CalendarObjectMeta,
  type RequestContract,
  type TimeWindow,
  type User,
  type CalendarDataShape,
  SCHEDULE_INBOX_SEGMENT,
} from '@davmesh/contracts';
import { unwrap } from '../http/reply-errors';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { collectPages } from '../resources/adapters';
import { cachedPages, CalendarMemberListings } from '../caches/member-listing-cache';
import { DavResources } from '../resources/dav-scope';
import { type Resource } from '../resources/resource';
import { CaldavScopes, type CaldavScope, type CalendarView } from './caldav-scope';

/** calendar.v1.objects.get takes at most this many names. */
const GET_BATCH = 200;
const LIST_PAGE = 500;

/** Looks up what a CalDAV path names for this user, and reads objects page by page. */
@Injectable()
export class CaldavResources extends DavResources<CalendarView, CaldavScope> {
  protected readonly missing = 'no such calendar';

  constructor(
    @Inject(CaldavScopes) readonly scopes: CaldavScopes,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(CalendarMemberListings) private readonly listings: CalendarMemberListings,
  ) {
    super();
  }

  /** A calendar.v1 request; a refusal becomes its HTTP answer with the CalDAV precondition element. */
  async call<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, hrefOf?: (folderId: number, name: string) => string | undefined, options?: RequestOptions): Promise<Res> {
    return unwrap(await this.bus.request(contract, payload, options), hrefOf, 'caldav');
  }

  /** The scope shows the schedule inbox when the request is on it or on one of its messages. */
  open(exchange: DavExchange, reuse?: string[]): Promise<CaldavScope> {
    return this.scopes.open(exchange.user, exchange.prefix, reuse, { inbox: this.segmentOf(exchange.resource) === SCHEDULE_INBOX_SEGMENT });
  }

  protected segmentOf(resource: Resource): string | undefined {
    return resource.kind === 'calendar' || resource.kind === 'calendar-object' || resource.kind === 'schedule-inbox' ? resource.segment : undefined;
  }

  /** The sync window a collection's listing and sync keep to; none in the schedule inbox, whose messages have no time span. */
  windowOf(scope: CaldavScope, view: CalendarView): TimeWindow | undefined {
    return view.inbox ? undefined : scope.window;
  }

  /** The object a calendar-object path names, or undefined. */
  async object(scope: CaldavScope, resource: Resource): Promise<{ view: CalendarView; object: CalendarObject | undefined }> {
    const view = this.collection(scope, resource);
    const name = resource.kind === 'calendar-object' ? resource.name : '';
    const [object] = await this.getMany(scope, view, [name]);
    return { view, object };
  }

  /** The named objects with their iCalendar data, collected: for a few names (GET, a rendered href). */
  getMany(scope: CaldavScope, view: CalendarView, names: string[], shape: CalendarDataShape = {}): Promise<CalendarObject[]> {
    return collectPages(this.pages(scope, view, names, shape));
  }

  /**
   * The named objects with their iCalendar data, one bus reply at a time: a reply carries as
   * many as fit in one message, and the names it left unsent are asked for again.
   */
  async *pages(scope: CaldavScope, view: CalendarView, names: string[], shape: CalendarDataShape = {}): AsyncGenerator<CalendarObject[]> {
    const limits = calendarLimits(scope.config);
    for (let i = 0; i < names.length; i += GET_BATCH) {
      let asked = names.slice(i, i + GET_BATCH);
      while (asked.length > 0) {
        const reply = await this.call(CalendarObjectsGet, { userId: scope.user.userId, folderId: view.folder.folderId, names: asked, ...shape, limits });
        yield reply.objects;
        const unsent = reply.unsent ?? [];
        if (unsent.length >= asked.length) throw new DavHttpError(500, 'the calendar service answered a page without progress');
        asked = unsent;
      }
    }
  }

  /**
   * The collection's objects inside `window` (all without one: the inbox), one bus page at a
   * time (a big calendar never sits in memory), or from this node's member listings when the
   * folder's revision, as this request listed it, and the window are those of a listing kept there.
   */
  objects(scope: CaldavScope, view: CalendarView, window: TimeWindow | undefined): AsyncIterable<readonly CalendarObjectMeta[]> {
    const list = () => this.listObjects(scope.user, view, window);
    const key = this.listingKey(scope, view, window);
    return key ? cachedPages(this.listings, key, list) : list();
  }

  /** What names the collection's members as this request sees them, when it listed the folder afresh. */
  listingKey(scope: CaldavScope, view: CalendarView, window: TimeWindow | undefined): string | undefined {
    return scope.listedAfresh && `${view.folder.folderId}@${view.folder.revision} ${window?.start ?? '-'} ${window?.end ?? '-'}`;
  }

  private async *listObjects(user: User, view: CalendarView, window: TimeWindow | undefined): AsyncGenerator<CalendarObjectMeta[]> {
    let after: string | undefined;
    do {
      const page = await this.call(CalendarObjectsList, { userId: user.userId, folderId: view.folder.folderId, limit: LIST_PAGE, ...(window ? { window } : {}), ...(after ? { after } : {}) });
      yield page.objects;
      after = page.nextCursor;
    } while (after);
  }
}
