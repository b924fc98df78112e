import { calserver, dav, el } from '@davmesh/dav';
import { type LiveProperty } from '../../properties/property';
import { NOTIFICATION_MEDIA_TYPE, notificationTypeNode } from './notification-xml';

const COLLECTION = ['notifications'] as const;
const NOTIFICATION = ['notification'] as const;

/**
 * The notification collection's and its notifications' own properties (caldav-sharing 4, 4.2.1);
 * the WebDAV ones they share with calendars (getetag, getlastmodified, sync-token, getctag,
 * owner, current-user-privilege-set, supported-report-set) are WEBDAV_PROPERTIES'.
 */
export const NOTIFICATION_PROPERTIES: LiveProperty[] = [
  {
    name: dav('resourcetype'),
    kinds: COLLECTION,
    inAllprop: true,
    compute: () => [el(dav('collection')), el(calserver('notification'))],
  },
  {
    name: dav('resourcetype'),
    kinds: NOTIFICATION,
    inAllprop: true,
    compute: () => [],
  },
  {
    name: dav('displayname'),
    kinds: COLLECTION,
    inAllprop: true,
    compute: () => 'Notifications',
  },
  {
    name: dav('getcontenttype'),
    kinds: NOTIFICATION,
    inAllprop: true,
    compute: () => NOTIFICATION_MEDIA_TYPE,
  },
  {
    name: calserver('notificationtype'),
    kinds: NOTIFICATION,
    inAllprop: false,
    compute: ({ notification }) => (notification ? [notificationTypeNode(notification.type)] : undefined),
  },
];
