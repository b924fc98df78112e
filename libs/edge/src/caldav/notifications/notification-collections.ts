import { Inject, Injectable } from '@nestjs/common';
import { CalendarNotificationsChanges, type SyncPosition } from '@davmesh/contracts';
import { calserver, Condition, type XmlElement } from '@davmesh/dav';
import { DavHttpError, type DavExchange } from '../../http/dav-exchange';
import { preconditionError } from '../../http/reply-errors';
import { reportPropfind } from '../../reports/report-request';
import { encodeSyncToken, NOTIFICATIONS_SYNC_KEY } from '../../reports/sync-token';
import { type CollectionStore, type MemberCollection, type MemberProps, type SyncQuery } from '../../resources/adapters';
import { NotificationResources } from './notification-resources';

const notHere = () => new DavHttpError(405, 'the notification collection takes no such request');

/** A notification collection's sync token: its revision under a key no folder has. */
export function notificationsSyncToken(revision: number): string {
  return encodeSyncToken({ [NOTIFICATIONS_SYNC_KEY]: revision });
}

/**
 * The notification collection as the REPORTs see it: sync-collection only (Apple's clients sync it
 * when it offers that). It is never deleted, changed or made by a client.
 */
@Injectable()
export class NotificationCollections implements CollectionStore {
  readonly kinds = ['notifications'] as const;
  /** Unused: no multiget is registered here. */
  readonly multiget = calserver('notification-multiget');
  readonly deletable = [] as const;
  readonly updatable = [] as const;
  readonly creatable = 'notifications';
  readonly creationMethods = [] as const;
  readonly mkcolResourcetype = 'optional';

  constructor(@Inject(NotificationResources) private readonly resources: NotificationResources) {}

  /** The members' properties; notifications have no data a REPORT returns. */
  readProps(body: XmlElement): MemberProps {
    return { propfind: reportPropfind(body), wantsData: false };
  }

  delete(): Promise<void> {
    return Promise.reject(notHere());
  }

  forUpdate(): Promise<never> {
    return Promise.reject(notHere());
  }

  forCreation(): Promise<never> {
    return Promise.reject(notHere());
  }

  open(): Promise<never> {
    return Promise.reject(notHere());
  }

  /** From the collection's own token only; anything else is DAV:valid-sync-token. */
  async openForSync(exchange: DavExchange, since: SyncPosition | undefined): Promise<MemberCollection<SyncQuery>> {
    const scope = await this.resources.open(exchange);
    if (since !== undefined && (Object.keys(since).length !== 1 || since[NOTIFICATIONS_SYNC_KEY] === undefined)) throw preconditionError(403, Condition.ValidSyncToken);
    const sinceRevision = since ? { sinceRevision: since[NOTIFICATIONS_SYNC_KEY] } : {};
    return {
      href: scope.href,
      config: scope.config,
      query: () => ({
        async *pages() {
          // Nothing to read: every member is described from the change list.
        },
        changes: async (limit) => {
          const changes = await this.resources.call(CalendarNotificationsChanges, { userId: exchange.user.userId, limit, ...sinceRevision });
          return {
            changes: () => [...changes.changed.map((meta) => ({ name: meta.name, context: this.resources.contextOf(scope, meta) })), ...changes.removed.map((name) => ({ name }))],
            truncated: changes.truncated,
            syncToken: notificationsSyncToken(changes.revision),
          };
        },
      }),
    };
  }
}
