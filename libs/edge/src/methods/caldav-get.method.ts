import { Inject, Injectable } from '@nestjs/common';
import { CaldavResources } from '../caldav/caldav-resources';
import { quoteEtag } from '../caldav/calendar-etag';
import { calendarContentType } from '../caldav/calendar-media';
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
    const { response, request } = exchange;
    const etag = quoteEtag(object.etag);
    response.setHeader('ETag', etag);
    response.setHeader('Last-Modified', new Date(object.lastModified).toUTCString());
    if (String(request.headers['if-none-match'] ?? '').split(',').map((t) => t.trim()).includes(etag)) {
      response.statusCode = 304;
      response.end();
      return;
    }
    response.statusCode = 200;
    response.setHeader('Content-Type', calendarContentType(object.component));
    response.setHeader('Content-Length', String(Buffer.byteLength(object.ical)));
    response.end(this.method === 'HEAD' ? undefined : object.ical);
  }
}

@Injectable()
export class CaldavHeadMethod extends CaldavGetMethod {
  override readonly method = 'HEAD';
}
