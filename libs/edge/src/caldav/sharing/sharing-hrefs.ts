import { type EffectiveConfig, type SharingLimits } from '@davmesh/contracts';
import { dav, el, type XmlNode } from '@davmesh/dav';
import { principalPath } from '../../resources/resource';

/**
 * Where a shared calendar is, as calendarserver-sharing's CS:hosturl, CS:shared-url and
 * CS:shared-as say: `/caldav/<folderId>/`, the address it has in every sharee's home. Calendar
 * homes have no user in their path here (each user's is `/caldav/`), so the owner's own href for
 * it names another calendar for anyone else; the folder id is the name it has for all sharees.
 */
export function sharedCalendarHref(prefix: string, folderId: number): string {
  return `${prefix}/caldav/${folderId}/`;
}

/** A user as CS:invite and notifications name them: their `mailto:` address, else their principal. */
export function calendarUserHref(user: { userId: number; email: string | null }, prefix: string): string {
  return user.email ? `mailto:${user.email}` : principalPath(prefix, user.userId);
}

/** DAV:href of `href`. */
export function hrefNode(href: string): XmlNode {
  return el(dav('href'), href);
}

/** davmesh.limits.shareesPerCalendar and notificationsPerUser as they hold for the user (context-level keys). */
export function sharingLimits(config: EffectiveConfig): SharingLimits {
  return {
    shareesPerCalendar: Number(config.values['davmesh.limits.shareesPerCalendar'].value),
    notificationsPerUser: Number(config.values['davmesh.limits.notificationsPerUser'].value),
  };
}
