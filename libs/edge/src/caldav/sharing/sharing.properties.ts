import { NOTIFICATIONS_SEGMENT, type CalendarSharee, type ShareStatus } from '@davmesh/contracts';
import { calserver, el, type XmlNode } from '@davmesh/dav';
import { type LiveProperty, type PropertyContext } from '../../properties/property';
import { principalPath } from '../../resources/resource';
import { ownCaldav } from '../scheduling.properties';
import { calendarUserHref, hrefNode, sharedCalendarHref } from './sharing-hrefs';

const CALENDARS = ['calendar'] as const;

/** CS:user's state element for a share's state; `deleted` only in a notification. */
export const INVITE_STATUS: Record<ShareStatus | 'deleted', string> = {
  invited: 'invite-noresponse',
  accepted: 'invite-accepted',
  declined: 'invite-declined',
  deleted: 'invite-deleted',
};

/** CS:access: CS:read or CS:read-write. */
export function accessNode(rights: CalendarSharee['rights']): XmlNode {
  return el(calserver('access'), [el(calserver(rights === 'write' ? 'read-write' : 'read'))]);
}

/** A calendar the current user owns and has shared (invitations not answered or declined included). */
export function isSharedByOwner({ calendar, currentUser }: PropertyContext): boolean {
  return Boolean(calendar && !calendar.inbox && calendar.folder.ownerUserId === currentUser.userId && calendar.folder.sharees?.length);
}

/** A calendar another user shares with the current one. */
export function isSharedWithMe({ calendar, currentUser }: PropertyContext): boolean {
  return Boolean(calendar && calendar.folder.ownerUserId !== currentUser.userId);
}

/**
 * A calendar shared with the current user by invitation that they may only read: they may still
 * set its name, description, colour and order for themselves (caldav-sharing 5.5.3).
 */
export function setsOnlyPersonalProperties(context: PropertyContext): boolean {
  const own = context.calendar?.folder.sharees?.find((s) => s.userId === context.currentUser.userId);
  return isSharedWithMe(context) && !context.calendar!.writable && own?.direct === false;
}

/** One CS:user of CS:invite (caldav-sharing 6.5): who, their name when known, their answer, their access, the summary. */
function inviteUser(context: PropertyContext, sharee: CalendarSharee): XmlNode {
  const person = context.people?.get(sharee.userId);
  return el(calserver('user'), [
    hrefNode(calendarUserHref(person ?? { userId: sharee.userId, email: null }, context.prefix)),
    ...(person ? [el(calserver('common-name'), person.displayName)] : []),
    el(calserver(INVITE_STATUS[sharee.status])),
    accessNode(sharee.rights),
    ...(sharee.summary ? [el(calserver('summary'), sharee.summary)] : []),
  ]);
}

/**
 * calendarserver-sharing's properties of calendars and of the principal (caldav-sharing 4.1.1,
 * 5.2): CS:invite (on the owner's calendar every sharee; on a sharee's view the sharer as
 * CS:organizer and their own share only: sharees are not told of each other), CS:allowed-sharing-modes
 * on the user's own calendars, CS:shared-url on a sharee's view, and CS:notification-URL.
 * DAV:resourcetype's CS:shared-owner and CS:shared are CALDAV_PROPERTIES'.
 */
export const SHARING_PROPERTIES: LiveProperty[] = [
  {
    name: calserver('invite'),
    kinds: CALENDARS,
    inAllprop: false,
    compute: (context) => {
      const sharees = context.calendar?.folder.sharees;
      if (!sharees?.length || !(isSharedByOwner(context) || isSharedWithMe(context))) return undefined;
      if (isSharedByOwner(context)) return sharees.map((sharee) => inviteUser(context, sharee));
      const ownerId = context.calendar!.folder.ownerUserId;
      const owner = context.people?.get(ownerId);
      const organizer = el(calserver('organizer'), [hrefNode(principalPath(context.prefix, ownerId)), ...(owner ? [el(calserver('common-name'), owner.displayName)] : [])]);
      return [organizer, ...sharees.filter((s) => s.userId === context.currentUser.userId).map((sharee) => inviteUser(context, sharee))];
    },
  },
  {
    name: calserver('allowed-sharing-modes'),
    kinds: CALENDARS,
    inAllprop: false,
    compute: ({ calendar, currentUser }) => (calendar && !calendar.inbox && calendar.folder.ownerUserId === currentUser.userId ? [el(calserver('can-be-shared'))] : undefined),
  },
  {
    name: calserver('shared-url'),
    kinds: CALENDARS,
    inAllprop: false,
    compute: (context) => (isSharedWithMe(context) ? [hrefNode(sharedCalendarHref(context.prefix, context.calendar!.folder.folderId))] : undefined),
  },
  {
    name: calserver('notification-URL'),
    kinds: ['principal'],
    inAllprop: false,
    compute: (context) => (ownCaldav(context) ? [hrefNode(`${context.prefix}/caldav/${NOTIFICATIONS_SEGMENT}/`)] : undefined),
  },
];
