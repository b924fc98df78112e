import { type CalendarNotification, type NotificationType, type SharingNotification } from '@davmesh/contracts';
import { caldav, calserver, el, renderDocument, type XmlNode } from '@davmesh/dav';
import { principalPath } from '../../resources/resource';
import { isoToIcalUtc } from '../free-busy-body';
import { accessNode, INVITE_STATUS } from '../sharing/sharing.properties';
import { calendarUserHref, hrefNode, sharedCalendarHref } from '../sharing/sharing-hrefs';

/** What a notification resource is served as. */
export const NOTIFICATION_MEDIA_TYPE = 'application/xml; charset=utf-8';

/** The attribute CalendarServer puts on both notification types (and CS:notificationtype): what is shared. */
const SHARED_TYPE = { 'shared-type': 'calendar' };

/** CS:notificationtype's value (caldav-sharing 4.2.1): the notification's element, empty, with its attributes. */
export function notificationTypeNode(type: NotificationType): XmlNode {
  return el(calserver(type), undefined, SHARED_TYPE);
}

/**
 * A notification resource (caldav-sharing 4, 6.24): CS:notification with CS:dtstamp and a
 * CS:invite-notification (6.15) or CS:invite-reply (6.22), in the element order of the spec's DTDs.
 */
export function notificationDocument(notification: CalendarNotification, prefix: string): string {
  return renderDocument(el(calserver('notification'), [el(calserver('dtstamp'), isoToIcalUtc(notification.lastModified)), body(notification.content, prefix)]));
}

function body(content: SharingNotification, prefix: string): XmlNode {
  const hostUrl = el(calserver('hosturl'), [hrefNode(sharedCalendarHref(prefix, content.folderId))]);
  const summary = content.summary ? [el(calserver('summary'), content.summary)] : [];
  if (content.type === 'invite-reply') {
    return el(
      calserver('invite-reply'),
      [
        hrefNode(calendarUserHref(content.sharee, prefix)),
        el(calserver(INVITE_STATUS[content.status])),
        hostUrl,
        el(calserver('in-reply-to'), content.inviteUid),
        ...summary,
        ...commonName(content.sharee.displayName),
      ],
      SHARED_TYPE,
    );
  }
  return el(
    calserver('invite-notification'),
    [
      el(calserver('uid'), content.inviteUid),
      hrefNode(calendarUserHref(content.sharee, prefix)),
      el(calserver(INVITE_STATUS[content.status])),
      accessNode(content.rights),
      hostUrl,
      el(calserver('organizer'), [hrefNode(principalPath(prefix, content.owner.userId)), ...commonName(content.owner.displayName)]),
      ...summary,
      el(
        caldav('supported-calendar-component-set'),
        content.components.map((name) => el(caldav('comp'), undefined, { name })),
      ),
    ],
    SHARED_TYPE,
  );
}

function commonName(name: string): XmlNode[] {
  return name ? [el(calserver('common-name'), name)] : [];
}
