import { Inject, Injectable } from '@nestjs/common';
import { CalendarObjectsDelete, CalendarObjectsMove, CalendarObjectsPut, SCHEDULE_INBOX_SEGMENT } from '@davmesh/contracts';
import { Condition } from '@davmesh/dav';
import { writePrecondition, type Representation } from '../http/conditional-headers';
import { type DavExchange } from '../http/dav-exchange';
import { preconditionError } from '../http/reply-errors';
import { type MemberResource, type MemberStore, type StoredMember } from '../resources/adapters';
import { CaldavResources } from './caldav-resources';
import { calendarLimits } from './calendar-limits';
import { calendarContentType, isCalendarMediaType, MAX_ICALENDAR_BYTES } from './calendar-media';

/** Calendar objects as the WebDAV methods read, write, delete and move them, over the calendar service. */
@Injectable()
export class CaldavMembers implements MemberStore {
  readonly kind = 'calendar-object';
  readonly messages = { notFound: 'no such calendar object', badDestination: 'Destination must name a calendar object' };
  readonly body = { accepts: isCalendarMediaType, unsupported: Condition.SupportedCalendarData, maxBytes: MAX_ICALENDAR_BYTES, tooLarge: Condition.CalendarMaxResourceSize };

  constructor(@Inject(CaldavResources) private readonly resources: CaldavResources) {}

  /** As stored, with its strong ETag and Last-Modified. */
  async read(exchange: DavExchange): Promise<Representation | undefined> {
    const scope = await this.resources.openFor(exchange);
    const { object } = await this.resources.object(scope, exchange.resource);
    if (!object) return undefined;
    return { etag: object.etag, lastModified: object.lastModified, contentType: calendarContentType(object.component), body: object.ical };
  }

  /**
   * Under the client's name; validated and stored by the calendar service, or refused with nothing
   * stored. Nobody writes into a schedule inbox (RFC 6638 2.2: no DAV:bind), which only scheduling fills.
   */
  async writer(exchange: DavExchange, member: MemberResource): Promise<(ical: string) => Promise<StoredMember>> {
    const { user } = exchange;
    const scope = await this.resources.openFor(exchange);
    const view = this.resources.collection(scope, member);
    if (view.inbox) throw preconditionError(403, Condition.NeedPrivileges);
    // The body is stored byte for byte, so its ETag is the one a GET will answer.
    return (ical) =>
      this.resources.call(
        CalendarObjectsPut,
        { userId: user.userId, folderId: view.folder.folderId, name: member.name, ical, precondition: writePrecondition(exchange), limits: calendarLimits(scope.config) },
        scope.hrefOf,
      );
  }

  /** If-Match is decided in the calendar service's transaction. */
  async delete(exchange: DavExchange, member: MemberResource): Promise<void> {
    const { user } = exchange;
    const view = this.resources.collection(await this.resources.openFor(exchange), member);
    await this.resources.call(CalendarObjectsDelete, { userId: user.userId, folderId: view.folder.folderId, name: member.name, precondition: writePrecondition(exchange) });
  }

  /** To another of the user's calendars, or to another name; never into or out of the schedule inbox. */
  async move(exchange: DavExchange, member: MemberResource, destination: MemberResource, overwrite: boolean): Promise<StoredMember> {
    const { user } = exchange;
    if ([member, destination].some((m) => m.kind === 'calendar-object' && m.segment === SCHEDULE_INBOX_SEGMENT)) throw preconditionError(403, Condition.NeedPrivileges);
    const scope = await this.resources.openFor(exchange, [member, destination]);
    const source = this.resources.collection(scope, member);
    const target = this.resources.collection(scope, destination);
    const request = {
      userId: user.userId,
      folderId: source.folder.folderId,
      name: member.name,
      toFolderId: target.folder.folderId,
      toName: destination.name,
      overwrite,
      precondition: writePrecondition(exchange),
    };
    return this.resources.call(CalendarObjectsMove, request, scope.hrefOf);
  }
}
