import { caldav, calserver, dav, el } from '@davmesh/dav';
import { quoteEtag } from '../http/conditional-headers';
import { principalPath } from '../resources/resource';
import { setsOnlyPersonalProperties } from '../caldav/sharing/sharing.properties';
import { privileges } from './privileges';
import { type LiveProperty, type PropertyContext } from './property';

const COLLECTIONS = ['calendar-home', 'calendar', 'addressbook-home', 'addressbook', 'aggregated-addressbook'] as const;
const OBJECTS = ['calendar-object', 'contact'] as const;
const HOMES = new Set(['calendar-home', 'addressbook-home']);
/** Collections whose revision is their sync-token. */
const SYNCABLE = ['calendar', 'schedule-inbox', 'addressbook', 'aggregated-addressbook', 'notifications'] as const;

/** The calendar or address book a property describes (of a member: its collection), as this user sees it. */
const collectionOf = ({ calendar, addressbook }: PropertyContext) => calendar ?? addressbook;

/** The object a property of a calendar object, a contact or a notification describes: the same WebDAV fields on each. */
const objectOf = ({ calendarObject, contact, notification }: PropertyContext) => calendarObject ?? contact ?? notification;

/** What a collection's revision is told as (getctag, sync-token). */
const syncTokenOf = (context: PropertyContext) => (collectionOf(context) ?? context.notifications)?.syncToken;

/**
 * The owner's principal of a collection: the folder's owner (a shared one's is someone else), the
 * current user on a home or the aggregated book, none (an empty element, RFC 3744 5.1) on the
 * global address list.
 */
function ownerOf({ calendar, addressbook, currentUser }: PropertyContext): number | null {
  if (calendar) return calendar.folder.ownerUserId;
  if (addressbook?.folder) return addressbook.folder.ownerUserId;
  return currentUser.userId;
}

/** RFC 4918, RFC 3744 and RFC 6578 properties that calendars and address books, and their objects, have alike. */
export const WEBDAV_PROPERTIES: LiveProperty[] = [
  {
    name: dav('current-user-privilege-set'),
    kinds: [...COLLECTIONS, ...OBJECTS, 'notifications', 'notification'],
    inAllprop: false,
    compute: (context) => {
      // A home is the user's own: they make and remove collections in it.
      if (HOMES.has(context.resource.kind)) return privileges(true);
      // Notifications are the server's to write and their user's to read and delete.
      if (context.resource.kind === 'notifications') return privileges(false, [el(dav('unbind'))]);
      // RFC 4791 6.1.1: reading a calendar's busy time is a privilege of its own.
      const calendar = context.calendar ? [el(caldav('read-free-busy')), ...(setsOnlyPersonalProperties(context) ? [el(dav('write-properties'))] : [])] : [];
      return privileges(collectionOf(context)?.writable ?? false, calendar);
    },
  },
  {
    name: dav('supported-report-set'),
    kinds: [...COLLECTIONS, 'principal-collection', 'schedule-inbox', 'schedule-outbox', 'notifications'],
    inAllprop: false,
    compute: ({ reports }) => (reports ?? []).map((name) => el(dav('supported-report'), [el(dav('report'), [el(name)])])),
  },
  {
    name: calserver('getctag'),
    kinds: SYNCABLE,
    inAllprop: false,
    compute: syncTokenOf,
  },
  {
    name: dav('sync-token'),
    kinds: SYNCABLE,
    inAllprop: false,
    compute: syncTokenOf,
  },
  {
    name: dav('owner'),
    kinds: [...COLLECTIONS, 'notifications'],
    inAllprop: false,
    compute: (context) => {
      const owner = ownerOf(context);
      return owner === null ? [] : [el(dav('href'), principalPath(context.prefix, owner))];
    },
  },
  {
    name: dav('getetag'),
    kinds: [...OBJECTS, 'notification'],
    inAllprop: true,
    compute: (context) => {
      const object = objectOf(context);
      return object ? quoteEtag(object.etag) : undefined;
    },
  },
  {
    name: dav('getlastmodified'),
    kinds: [...OBJECTS, 'notification'],
    inAllprop: true,
    compute: (context) => {
      const object = objectOf(context);
      return object ? new Date(object.lastModified).toUTCString() : undefined;
    },
  },
];
