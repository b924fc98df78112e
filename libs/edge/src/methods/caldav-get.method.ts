import { Inject, Injectable } from '@nestjs/common';
import { CaldavResources } from '../caldav/caldav-resources';
import { calendarContentType } from '../caldav/calendar-media';
import { sendRepresentation } from '../http/conditional-headers';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { type DavMethod } from './dav-method';

/** GET a calendar object as stored, with its strong ETag and Last-Modified. */
@Injectable()
export class CaldavGetMethod implements DavMethod {
  readonly method: string = 'GET';
  readonly kinds = ['calendar-object'] as const;

  constructor(@Inject(CaldavResources) private readonly caldav: CaldavResources) {}

  async handle(exchange: DavExchange): Promise<void> {
    const scope = await this.caldav.openFor(exchange);
    const { object } = await this.caldav.object(scope, exchange.resource);
    if (!object) throw new DavHttpError(404, 'no such calendar object');
    sendRepresentation(exchange, { etag: object.etag, lastModified: object.lastModified, contentType: calendarContentType(object.component), body: object.ical });
  }
}

@Injectable()
export class CaldavHeadMethod extends CaldavGetMethod {
  override readonly method = 'HEAD';
}
