import { calendarLimits } from './calendar-limits';
import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import {
  CalendarObjectsGet,
  CalendarObjectsList,
  type CalendarObject,
  type CalendarObjectMeta,
  type RequestContract,
  type TimeWindow,
  type User,
  type CalendarDataShape,
} from '@davmesh/contracts';
import { unwrap } from '../http/reply-errors';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { type Resource } from '../resources/resource';
import { CaldavScopes, type CaldavScope, type CalendarView } from './caldav-scope';

/** calendar.v1.objects.get takes at most this many names. */
const GET_BATCH = 200;
const LIST_PAGE = 500;

/** Looks up what a CalDAV path names for this user, and reads objects page by page. */
@Injectable()
export class CaldavResources {
  constructor(
    @Inject(CaldavScopes) readonly scopes: CaldavScopes,
    @Inject(BusClient) private readonly bus: BusClient,
  ) {}

  /** A calendar.v1 request; a refusal becomes its HTTP answer with the CalDAV precondition element. */
  async call<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, hrefOf?: (folderId: number, name: string) => string | undefined): Promise<Res> {
    return unwrap(await this.bus.request(contract, payload), hrefOf, 'caldav');
  }

  /** Opens the user's CalDAV scope (403 when disabled) with every calendar listed afresh: for answers that show revisions. */
  open(exchange: DavExchange): Promise<CaldavScope> {
    return this.scopes.open(exchange.user, exchange.prefix);
  }

  /**
   * Opens the scope for a request on the calendar of `resources` (the request's own by default),
   * from this node's folder cache when it knows them: the answer shows no revision, and the
   * calendar service checks access again.
   */
  openFor(exchange: DavExchange, resources: Resource[] = [exchange.resource]): Promise<CaldavScope> {
    const segments = resources.map((r) => (r.kind === 'calendar' || r.kind === 'calendar-object' ? r.segment : undefined));
    return this.scopes.open(exchange.user, exchange.prefix, segments.every((s) => s !== undefined) ? segments : undefined);
  }

  /** The calendar a resource is, or is in; 404 when this user has none of that name. */
  collection(scope: CaldavScope, resource: Resource): CalendarView {
    const segment = resource.kind === 'calendar' || resource.kind === 'calendar-object' ? resource.segment : undefined;
    const view = segment === undefined ? undefined : scope.find(segment);
    if (!view) throw new DavHttpError(404, 'no such calendar');
    return view;
  }

  /** The object a calendar-object path names, or undefined. */
  async object(scope: CaldavScope, resource: Resource): Promise<{ view: CalendarView; object: CalendarObject | undefined }> {
    const view = this.collection(scope, resource);
    const name = resource.kind === 'calendar-object' ? resource.name : '';
    const [object] = await this.getMany(scope, view, [name]);
    return { view, object };
  }

  /** The named objects with their iCalendar data, collected: for a few names (GET, a rendered href). */
  async getMany(scope: CaldavScope, view: CalendarView, names: string[], shape: CalendarDataShape = {}): Promise<CalendarObject[]> {
    const found: CalendarObject[] = [];
    for await (const objects of this.pages(scope, view, names, shape)) found.push(...objects);
    return found;
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

  /** The collection's objects inside the window, one bus page at a time: a big calendar never sits in memory. */
  async *objects(user: User, view: CalendarView, window: TimeWindow): AsyncGenerator<CalendarObjectMeta[]> {
    let after: string | undefined;
    do {
      const page = await this.call(CalendarObjectsList, { userId: user.userId, folderId: view.folder.folderId, window, limit: LIST_PAGE, ...(after ? { after } : {}) });
      yield page.objects;
      after = page.nextCursor;
    } while (after);
  }
}
