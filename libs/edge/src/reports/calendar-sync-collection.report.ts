import { Inject, Injectable } from '@nestjs/common';
import { CalendarSyncChanges, type CalendarObject, type CalendarObjectMeta } from '@davmesh/contracts';
import { dav, el, encodeHref, type XmlElement } from '@davmesh/dav';
import { CaldavResources } from '../caldav/caldav-resources';
import { calendarObjectContext } from '../caldav/calendar-context';
import { calendarReportProps } from '../caldav/calendar-query-request';
import { preconditionError } from '../carddav/reply-errors';
import { encodeSyncToken } from '../carddav/sync-token';
import { type DavExchange } from '../http/dav-exchange';
import { wantsMinimal } from '../http/dav-headers';
import { PropertyRenderer } from '../properties/property-renderer';
import { type DavReport } from './dav-report';
import { startMultistatus } from './report-request';
import { readSyncRequest } from './sync-request';

const PAGE = 1000;

/**
 * RFC 6578 on a calendar over calendar.v1.sync.changes, within the user's sync window
 * (an object leaving it is reported removed). The token is the folder's revision
 * (`http://davmesh.org/ns/sync/<folderId>-<revision>`); a token of another collection or a
 * revision the folder never had is DAV:valid-sync-token. Depth is ignored (Thunderbird sends 1).
 * More changes than `limit/nresults` (or one page) end with a 507 response for the collection
 * and a token to go on from, as DAVx5 expects.
 */
@Injectable()
export class CalendarSyncCollectionReport implements DavReport {
  readonly name = dav('sync-collection');
  readonly kinds = ['calendar'] as const;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
  ) {}

  async run(exchange: DavExchange, body: XmlElement): Promise<void> {
    const { request, response, resource, user } = exchange;
    const { since, limit } = readSyncRequest(body, PAGE);
    const scope = await this.caldav.openFor(exchange);
    const view = this.caldav.collection(scope, resource);
    const folderId = view.folder.folderId;
    if (since !== undefined && (Object.keys(since).length !== 1 || since[folderId] === undefined)) throw preconditionError(403, dav('valid-sync-token'));
    const { propfind, wantsData, calendarData } = calendarReportProps(body);
    const changes = await this.caldav.call(CalendarSyncChanges, { userId: user.userId, folderId, limit, window: scope.window, ...(since ? { sinceRevision: since[folderId] } : {}) });
    const minimal = wantsMinimal(request);
    const writer = startMultistatus(response);
    const describe = (object: CalendarObjectMeta | CalendarObject) => writer.response(this.renderer.describe(calendarObjectContext(scope, view, object), propfind, minimal));
    // With data, the objects arrive a bus reply's worth at a time; one deleted meanwhile is described from the change list.
    const described = new Set<string>();
    if (wantsData) {
      for await (const objects of this.caldav.pages(scope, view, changes.changed.map((c) => c.name), calendarData)) {
        for (const object of objects) {
          described.add(object.name);
          await writer.write(describe(object));
        }
      }
    }
    for (const change of changes.changed) if (!described.has(change.name)) await writer.write(describe(change));
    for (const name of changes.removed) await writer.write(writer.status(encodeHref(`${view.href}${name}`), 404));
    if (changes.truncated) await writer.write(writer.status(encodeHref(view.href), 507, el(dav('number-of-matches-within-limits'))));
    writer.end([el(dav('sync-token'), encodeSyncToken({ [folderId]: changes.revision }))]);
  }
}
