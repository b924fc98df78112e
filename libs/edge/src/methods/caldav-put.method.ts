import { calendarLimits } from '../caldav/calendar-limits';
import { Inject, Injectable } from '@nestjs/common';
import { CalendarObjectsPut } from '@davmesh/contracts';
import { caldav } from '@davmesh/dav';
import { CaldavResources } from '../caldav/caldav-resources';
import { isCalendarMediaType, MAX_ICALENDAR_BYTES } from '../caldav/calendar-media';
import { preconditionError } from '../carddav/reply-errors';
import { quoteEtag, writePrecondition } from '../http/conditional-headers';
import { type DavExchange } from '../http/dav-exchange';
import { BodyTooLargeError, readBody } from '../http/request-body';
import { type DavMethod } from './dav-method';

/** PUT a calendar object under the client's name; validated and stored by the calendar service, or refused with nothing stored. */
@Injectable()
export class CaldavPutMethod implements DavMethod {
  readonly method = 'PUT';
  readonly kinds = ['calendar-object'] as const;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource, user } = exchange;
    if (resource.kind !== 'calendar-object') return;
    const scope = await this.caldav.openFor(exchange);
    const view = this.caldav.collection(scope, resource);
    if (!isCalendarMediaType(request)) throw preconditionError(403, caldav('supported-calendar-data'));
    let ical: string;
    try {
      ical = await readBody(request, MAX_ICALENDAR_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw preconditionError(403, caldav('max-resource-size'));
      throw error;
    }
    const result = await this.caldav.call(CalendarObjectsPut, { userId: user.userId, folderId: view.folder.folderId, name: resource.name, ical, precondition: writePrecondition(exchange), limits: calendarLimits(scope.config) }, scope.hrefOf);
    // The body is stored byte for byte, so its ETag is the one a GET will answer.
    response.statusCode = result.created ? 201 : 204;
    response.setHeader('ETag', quoteEtag(result.etag));
    response.setHeader('Content-Length', '0');
    response.end();
  }
}
