import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { DomainException, requirePrecondition, type CalendarNotification, type NotificationChanges, type NotificationMeta, type Precondition } from '@davmesh/contracts';
import { CalendarUnitOfWork } from '../calendar.unit-of-work';
import { NotificationRepository } from './notification.repository';

/**
 * Each user's notification collection as their client reads it (calendarserver-sharing, docs/sharing.md):
 * list, get, delete once handled, and what changed since a sync token. Only its user reaches it.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @Inject(NotificationRepository) private readonly notifications: NotificationRepository,
    @Inject(CalendarUnitOfWork) private readonly unitOfWork: CalendarUnitOfWork,
    @Inject(BusClient) private readonly bus: BusClient,
  ) {}

  /** One page by name, with the collection's revision read first (a later change waits for the next listing). */
  async list(userId: number, after: string | undefined, limit: number): Promise<{ revision: number; notifications: NotificationMeta[]; nextCursor?: string }> {
    const { revision } = await this.notifications.revision(userId);
    const read = await this.notifications.page(userId, after, limit);
    const notifications = this.bus.replyBudget().fill(read);
    const more = notifications.length === limit || notifications.length < read.length;
    return more && notifications.length > 0 ? { revision, notifications, nextCursor: notifications[notifications.length - 1].name } : { revision, notifications };
  }

  /** The named ones in the order asked; those the user has none of are missing. */
  async get(userId: number, names: string[]): Promise<{ notifications: CalendarNotification[]; missing: string[] }> {
    const asked = [...new Set(names)];
    const found = new Map((await this.notifications.get(userId, asked)).map((n) => [n.name, n]));
    return { notifications: asked.flatMap((name) => found.get(name) ?? []), missing: asked.filter((name) => !found.has(name)) };
  }

  async delete(userId: number, name: string, precondition?: Precondition): Promise<{ revision: number }> {
    return this.unitOfWork.transaction(async (tx) => {
      const existing = await tx.notifications.find(userId, name);
      requirePrecondition(precondition, existing && { etag: existing.etag, lastModified: existing.lastModified });
      const revision = existing && (await tx.notifications.remove(userId, name));
      if (revision === undefined) throw new DomainException('not-found', `no notification ${name}`);
      return { revision };
    });
  }

  /** sync-collection: changes after `since` in revision order; one revision is never split across two answers. */
  async changes(userId: number, since: number | undefined, limit: number): Promise<NotificationChanges> {
    const { revision, floor } = await this.notifications.revision(userId);
    const from = since ?? 0;
    if (from > revision || (since !== undefined && since < floor)) {
      throw new DomainException('not-found', 'this notification collection never had that sync token, or has forgotten what came after it', { condition: 'valid-sync-token' });
    }
    let rows = await this.notifications.changesSince(userId, from, revision, limit);
    const room = this.bus.replyBudget();
    const fitting = rows.slice(0, limit).findIndex((row) => !room.take(row.meta ?? row.name));
    const kept = fitting < 0 ? Math.min(limit, rows.length) : fitting;
    const truncated = rows.length > kept;
    if (truncated) {
      const cut = rows[kept].revision;
      const before = rows.slice(0, kept).filter((row) => row.revision !== cut);
      rows = before.length > 0 ? before : rows.filter((row) => row.revision === cut);
    }
    return {
      revision: truncated ? rows[rows.length - 1].revision : revision,
      changed: rows.flatMap((row) => (row.meta ? [row.meta] : [])),
      removed: since === undefined ? [] : rows.filter((row) => !row.meta).map((row) => row.name),
      truncated,
    };
  }
}
