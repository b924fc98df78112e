import { Inject, Injectable } from '@nestjs/common';
import { CalendarObjectsDelete, CalendarObjectsMove, CalendarObjectsPut, SCHEDULE_INBOX_SEGMENT, type CalendarObjectStored } from '@davmesh/contracts';
import { Condition } from '@davmesh/dav';
import { writePrecondition, type Representation } from '../http/conditional-headers';
import { type DavExchange } from '../http/dav-exchange';
import { preconditionError } from '../http/reply-errors';
import { type MemberResource, type MemberStore, type StoredMember } from '../resources/adapters';
import { CaldavResources } from './caldav-resources';
import { calendarLimits } from './calendar-limits';
import { calendarContentType, isCalendarMediaType, MAX_ICALENDAR_BYTES } from './calendar-media';
import { ifScheduleTagMatch, scheduleTagHeader, sendsScheduleReply } from './schedule-tag';

/** Calendar objects as the WebDAV methods read, write, delete and move them, over the calendar service. */
@Injectable()
export class CaldavMembers implements MemberStore {
  readonly kind = 'calendar-object';
  readonly messages = { notFound: 'no such calendar object', badDestination: 'Destination must name a calendar object' };
  readonly body = { accepts: isCalendarMediaType, unsupported: Condition.SupportedCalendarData, maxBytes: MAX_ICALENDAR_BYTES, tooLarge: Condition.CalendarMaxResourceSize };

  constructor(@Inject(CaldavResources) private readonly resources: CaldavResources) {}

  /** As stored, with its strong ETag and Last-Modified, and the Schedule-Tag of a scheduling object resource (RFC 6638 3.2.10). */
  async read(exchange: DavExchange): Promise<Representation | undefined> {
    const scope = await this.resources.openFor(exchange);
    const { object } = await this.resources.object(scope, exchange.resource);
    if (!object) return undefined;
    return {
      etag: object.etag,
      lastModified: object.lastModified,
      contentType: calendarContentType(object.component),
      body: object.ical,
      headers: scheduleTagHeader(object.scheduleTag),
    };
  }

  /**
   * Under the client's name; validated, scheduled and stored by the calendar service, or refused
   * with nothing stored or sent. Stored byte for byte unless scheduling changed it (then the answer
   * has no ETag). Nobody writes into a schedule inbox (RFC 6638 2.2: no DAV:bind), which only
   * scheduling fills.
   */
  async writer(exchange: DavExchange, member: MemberResource): Promise<(ical: string) => Promise<StoredMember>> {
    const { user } = exchange;
    const scope = await this.resources.openFor(exchange);
    const view = this.resources.collection(scope, member);
    if (view.inbox) throw preconditionError(403, Condition.NeedPrivileges);
    const conditions = writeConditions(exchange);
    return async (ical) =>
      storedMember(
        await this.resources.call(
          CalendarObjectsPut,
          { userId: user.userId, folderId: view.folder.folderId, name: member.name, ical, ...conditions, limits: calendarLimits(scope.config) },
          scope.hrefOf,
        ),
      );
  }

  /**
   * If-Match and If-Schedule-Tag-Match are decided in the calendar service's transaction; deleting
   * a scheduling object cancels or declines it there, unless an attendee says `Schedule-Reply: F`.
   */
  async delete(exchange: DavExchange, member: MemberResource): Promise<void> {
    const { user, request } = exchange;
    const scope = await this.resources.openFor(exchange);
    const view = this.resources.collection(scope, member);
    await this.resources.call(CalendarObjectsDelete, {
      userId: user.userId,
      folderId: view.folder.folderId,
      name: member.name,
      ...writeConditions(exchange),
      ...(sendsScheduleReply(request) ? {} : { scheduleReply: false }),
      limits: calendarLimits(scope.config),
    });
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
      ...writeConditions(exchange),
      limits: calendarLimits(scope.config),
    };
    return storedMember(await this.resources.call(CalendarObjectsMove, request, scope.hrefOf));
  }
}

/** A write's conditions for the calendar service: RFC 9110's and RFC 4918's, and RFC 6638's If-Schedule-Tag-Match. */
function writeConditions(exchange: DavExchange): { precondition?: ReturnType<typeof writePrecondition>; ifScheduleTagMatch?: string } {
  const tag = ifScheduleTagMatch(exchange.request);
  return { precondition: writePrecondition(exchange), ...(tag === undefined ? {} : { ifScheduleTagMatch: tag }) };
}

function storedMember(stored: CalendarObjectStored): StoredMember {
  return { created: stored.created, etag: stored.etag, asSent: stored.asSent, headers: scheduleTagHeader(stored.scheduleTag) };
}
