import { Inject, Injectable } from '@nestjs/common';
import { CalendarNotificationsDelete, CalendarNotificationsGet } from '@davmesh/contracts';
import { Condition } from '@davmesh/dav';
import { writePrecondition, type Representation } from '../../http/conditional-headers';
import { type DavExchange } from '../../http/dav-exchange';
import { preconditionError } from '../../http/reply-errors';
import { type MemberResource, type MemberStore, type StoredMember } from '../../resources/adapters';
import { NotificationResources } from './notification-resources';
import { NOTIFICATION_MEDIA_TYPE, notificationDocument } from './notification-xml';

const readOnly = () => preconditionError(403, Condition.NeedPrivileges);

/**
 * Notifications as the WebDAV methods see them: the server writes them, their user reads
 * (GET) and deletes them once handled (DELETE, If-Match decided in the calendar service); PUT
 * and MOVE are 403 DAV:need-privileges.
 */
@Injectable()
export class NotificationMembers implements MemberStore {
  readonly kind = 'notification';
  readonly messages = { notFound: 'no such notification', badDestination: 'a notification cannot be moved' };
  readonly body = { accepts: () => false, unsupported: Condition.NeedPrivileges, maxBytes: 0, tooLarge: Condition.NeedPrivileges };

  constructor(@Inject(NotificationResources) private readonly resources: NotificationResources) {}

  async read(exchange: DavExchange): Promise<Representation | undefined> {
    const scope = await this.resources.open(exchange);
    const name = exchange.resource.kind === 'notification' ? exchange.resource.name : '';
    const { notifications } = await this.resources.call(CalendarNotificationsGet, { userId: exchange.user.userId, names: [name] });
    const [notification] = notifications;
    if (!notification) return undefined;
    return { etag: notification.etag, lastModified: notification.lastModified, contentType: NOTIFICATION_MEDIA_TYPE, body: notificationDocument(notification, scope.exchange.prefix) };
  }

  async writer(exchange: DavExchange): Promise<(body: string) => Promise<StoredMember>> {
    await this.resources.open(exchange);
    throw readOnly();
  }

  async delete(exchange: DavExchange, member: MemberResource): Promise<void> {
    await this.resources.open(exchange);
    await this.resources.call(CalendarNotificationsDelete, { userId: exchange.user.userId, name: member.name, precondition: writePrecondition(exchange) });
  }

  async move(exchange: DavExchange): Promise<StoredMember> {
    await this.resources.open(exchange);
    throw readOnly();
  }
}
