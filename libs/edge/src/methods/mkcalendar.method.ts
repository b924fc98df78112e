import { Inject, Injectable } from '@nestjs/common';
import { CalendarFoldersCreate } from '@davmesh/contracts';
import { caldav, childrenNamed, dav, el, firstChild, renderDocument, sameName, statusLine, type QName, type XmlElement } from '@davmesh/dav';
import { CaldavResources } from '../caldav/caldav-resources';
import { readCalendarPropertyUpdate } from '../caldav/calendar-property-update';
import { preconditionError } from '../carddav/reply-errors';
import { ServerSettingsService } from '../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { readXmlBody, xmlBodyLimits } from '../http/request-body';
import { PropertyRegistry } from '../properties/property-registry';
import { type DavMethod } from './dav-method';

/** What tells MKCALENDAR (RFC 4791 5.3.1) from an extended MKCOL making a calendar (RFC 5689 3). */
interface CalendarCreation {
  request: QName;
  response: QName;
  /** Extended MKCOL makes a calendar only when its DAV:resourcetype says so. */
  needsCalendarResourcetype: boolean;
}

/** A calendar at the client's name, with the initial properties of the body, or nothing at all. */
abstract class CalendarCreationMethod implements DavMethod {
  abstract readonly method: string;
  readonly kinds = ['calendar'] as const;
  protected abstract readonly creation: CalendarCreation;

  constructor(
    @Inject(CaldavResources) private readonly caldav: CaldavResources,
    @Inject(PropertyRegistry) private readonly properties: PropertyRegistry,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource, user } = exchange;
    if (resource.kind !== 'calendar') return;
    const scope = await this.caldav.open(exchange);
    if (scope.find(resource.segment)) throw preconditionError(405, dav('resource-must-be-null'));
    const settings = await this.serverSettings.current();
    const root = await readXmlBody(request, xmlBodyLimits(settings), this.creation.request);
    const instructions = root?.children ?? [];
    if (this.creation.needsCalendarResourcetype && !asksForCalendar(instructions)) {
      // A calendar home holds calendars only: no plain collections (RFC 5689 3.3 valid-resourcetype).
      throw preconditionError(403, dav('valid-resourcetype'));
    }
    const update = readCalendarPropertyUpdate(instructions, this.properties, true, settings.limits['davmesh.limits.deadPropertyBytes']);
    if (update.refused.length > 0) {
      const propstat = (status: number, names: QName[]) => el(dav('propstat'), [el(dav('prop'), names.map((name) => el(name))), el(dav('status'), statusLine(status))]);
      const statuses = [...new Set(update.refused.map((r) => r.status))];
      const body = renderDocument(
        el(this.creation.response, [
          ...statuses.map((status) => propstat(status, update.refused.filter((r) => r.status === status).map((r) => r.name))),
          ...(update.accepted.length > 0 ? [propstat(424, update.accepted)] : []),
        ]),
      );
      throw new DavHttpError(403, 'a property of the new calendar cannot be set', body);
    }
    await this.caldav.call(CalendarFoldersCreate, {
      userId: user.userId,
      collectionName: resource.segment,
      ...(update.components ? { components: update.components } : {}),
      props: update.props,
      ...(update.setDead.length > 0 ? { dead: update.setDead } : {}),
    });
    response.statusCode = 201;
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('Content-Length', '0');
    response.end();
  }
}

/** Whether an extended MKCOL's DAV:set gives a DAV:resourcetype with CALDAV:calendar. */
function asksForCalendar(instructions: XmlElement[]): boolean {
  return instructions
    .filter((instruction) => sameName(instruction.name, dav('set')))
    .flatMap((set) => childrenNamed(set, dav('prop')))
    .some((prop) => {
      const resourcetype = firstChild(prop, dav('resourcetype'));
      return !!resourcetype && !!firstChild(resourcetype, caldav('calendar'));
    });
}

/** RFC 4791 5.3.1 MKCALENDAR. */
@Injectable()
export class MkcalendarMethod extends CalendarCreationMethod {
  readonly method = 'MKCALENDAR';
  protected readonly creation = { request: caldav('mkcalendar'), response: caldav('mkcalendar-response'), needsCalendarResourcetype: false };
}

/** RFC 5689 extended MKCOL of a calendar, as vdirsyncer makes one. */
@Injectable()
export class CalendarMkcolMethod extends CalendarCreationMethod {
  readonly method = 'MKCOL';
  protected readonly creation = { request: dav('mkcol'), response: dav('mkcol-response'), needsCalendarResourcetype: true };
}
