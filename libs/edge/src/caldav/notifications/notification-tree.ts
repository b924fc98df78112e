import { Inject, Injectable } from '@nestjs/common';
import { CalendarNotificationsGet, CalendarNotificationsList } from '@davmesh/contracts';
import { DavHttpError, type DavExchange } from '../../http/dav-exchange';
import { ReportRegistry } from '../../reports/report-registry';
import { type PropfindNode, type ResourceTree } from '../../resources/adapters';
import { notificationsSyncToken } from './notification-collections';
import { NotificationResources, type NotificationScope } from './notification-resources';

const PAGE = 500;

/** The notification collection (Depth 1: its notifications, page by page) and each notification. */
@Injectable()
export class NotificationTree implements ResourceTree {
  readonly kinds = ['notifications', 'notification'] as const;

  constructor(
    @Inject(NotificationResources) private readonly resources: NotificationResources,
    @Inject(ReportRegistry) private readonly reports: ReportRegistry,
  ) {}

  async open(exchange: DavExchange): Promise<() => Promise<PropfindNode>> {
    const scope = await this.resources.open(exchange);
    return () => (exchange.resource.kind === 'notification' ? this.notification(scope, exchange.resource.name) : this.collection(scope));
  }

  private async notification(scope: NotificationScope, name: string): Promise<PropfindNode> {
    const { notifications } = await this.resources.call(CalendarNotificationsGet, { userId: scope.exchange.user.userId, names: [name] });
    if (!notifications[0]) throw new DavHttpError(404, 'no such notification');
    return { self: this.resources.contextOf(scope, notifications[0]) };
  }

  /** The first page tells the collection's revision; the members follow from it. */
  private async collection(scope: NotificationScope): Promise<PropfindNode> {
    const userId = scope.exchange.user.userId;
    const first = await this.resources.call(CalendarNotificationsList, { userId, limit: PAGE });
    const resources = this.resources;
    return {
      self: { ...resources.contextOf(scope, { syncToken: notificationsSyncToken(first.revision) }), reports: this.reports.namesFor('notifications') },
      async *members() {
        let page = first;
        for (;;) {
          yield page.notifications.map((meta) => resources.contextOf(scope, meta));
          if (!page.nextCursor) return;
          page = await resources.call(CalendarNotificationsList, { userId, limit: PAGE, after: page.nextCursor });
        }
      },
    };
  }
}
