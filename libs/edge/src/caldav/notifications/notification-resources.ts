import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { NOTIFICATIONS_SEGMENT, type EffectiveConfig, type NotificationMeta, type RequestContract } from '@davmesh/contracts';
import { type DavExchange } from '../../http/dav-exchange';
import { unwrap } from '../../http/reply-errors';
import { type PropertyContext } from '../../properties/property';
import { CaldavScopes } from '../caldav-scope';

/** The user's notification collection as one request sees it. */
export interface NotificationScope {
  exchange: DavExchange;
  config: EffectiveConfig;
  /** `/caldav/notifications/` under the request's prefix. */
  href: string;
}

/** Opens the user's notification collection (403 without CalDAV) and asks the calendar service about it. */
@Injectable()
export class NotificationResources {
  constructor(
    @Inject(CaldavScopes) private readonly scopes: CaldavScopes,
    @Inject(BusClient) private readonly bus: BusClient,
  ) {}

  async open(exchange: DavExchange): Promise<NotificationScope> {
    return { exchange, config: await this.scopes.config(exchange.user), href: `${exchange.prefix}/caldav/${NOTIFICATIONS_SEGMENT}/` };
  }

  /** A calendar.v1 request; a refusal becomes its HTTP answer. */
  async call<Req, Res>(contract: RequestContract<Req, Res>, payload: Req): Promise<Res> {
    return unwrap(await this.bus.request(contract, payload), undefined, 'caldav');
  }

  /** The property context of the collection (with its sync token), or of one notification in it. */
  contextOf(scope: NotificationScope, described: { syncToken: string } | NotificationMeta): PropertyContext {
    const { user, prefix } = scope.exchange;
    const base = { currentUser: user, subjectUser: user, prefix, config: scope.config };
    if ('syncToken' in described) return { ...base, resource: { kind: 'notifications', path: scope.href }, notifications: described };
    return { ...base, resource: { kind: 'notification', path: `${scope.href}${described.name}`, name: described.name }, notification: described };
  }
}
