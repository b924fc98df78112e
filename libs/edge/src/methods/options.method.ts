import { Injectable } from '@nestjs/common';
import { type DavExchange } from '../http/dav-exchange';
import { DAV_COMPLIANCE } from '../http/dav-headers';
import { type DavMethod } from './dav-method';

@Injectable()
export class OptionsMethod implements DavMethod {
  readonly method = 'OPTIONS';
  readonly kinds = ['root', 'principal', 'principal-collection', 'addressbook-home', 'addressbook', 'aggregated-addressbook', 'contact', 'calendar-home', 'calendar', 'calendar-object', 'schedule-inbox', 'schedule-outbox', 'notifications', 'notification'] as const;

  /** `allowed` is filled in by the dispatcher, which knows every method of the resource. */
  async handle({ response }: DavExchange): Promise<void> {
    response.statusCode = 200;
    response.setHeader('DAV', DAV_COMPLIANCE);
    response.setHeader('Content-Length', '0');
    response.end();
  }
}
