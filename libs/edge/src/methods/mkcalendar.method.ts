import { Inject, Injectable } from '@nestjs/common';
import { CalendarFoldersCreate } from '@davmesh/contracts';
import { caldav, dav, type QName } from '@davmesh/dav';
import { CaldavResources } from '../caldav/caldav-resources';
import { preconditionError } from '../http/reply-errors';
import { ServerSettingsService } from '../config/server-settings.service';
import { type DavExchange } from '../http/dav-exchange';
import { readCollectionUpdate, refuseCreation, validResourcetype } from '../properties/collection-update';
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
    const update = await readCollectionUpdate(request, settings, this.properties, { kind: 'calendar', root: this.creation.request, creating: true });
    // A calendar home holds calendars only: no plain collections (RFC 5689 3.3 valid-resourcetype).
    if (this.creation.needsCalendarResourcetype && !validResourcetype(update, true)) throw preconditionError(403, dav('valid-resourcetype'));
    const refusal = refuseCreation(update, this.creation.response);
    if (refusal) throw refusal;
    const { components, ...props } = update.change;
    await this.caldav.call(CalendarFoldersCreate, {
      userId: user.userId,
      collectionName: resource.segment,
      ...(components ? { components } : {}),
      props,
      ...(update.setDead.length > 0 ? { dead: update.setDead } : {}),
    });
    response.statusCode = 201;
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('Content-Length', '0');
    response.end();
  }
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
