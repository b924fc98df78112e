import { caldav, calserver, dav, el } from '@davmesh/dav';
import { quoteEtag } from '../http/conditional-headers';
import { principalPath } from '../resources/resource';
import { privileges } from './privileges';
import { type LiveProperty, type PropertyContext } from './property';

const COLLECTIONS = ['calendar-home', 'calendar', 'addressbook-home', 'addressbook', 'aggregated-addressbook'] as const;
const OBJECTS = ['calendar-object', 'contact'] as const;
const HOMES = new Set(['calendar-home', 'addressbook-home']);
/** Collections whose revision is their sync-token. */
const SYNCABLE = ['calendar', 'schedule-inbox', 'addressbook', 'aggregated-addressbook'] as const;

/** The calendar or address book a property describes (of a member: its collection), as this user sees it. */
const collectionOf = ({ calendar, addressbook }: PropertyContext) => calendar ?? addressbook;

/** The object a property of a calendar object or a contact describes: the same WebDAV fields on both. */
const objectOf = ({ calendarObject, contact }: PropertyContext) => calendarObject ?? contact;

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
    kinds: [...COLLECTIONS, ...OBJECTS],
    inAllprop: false,
    compute: (context) => {
      // A home is the user's own: they make and remove collections in it.
      if (HOMES.has(context.resource.kind)) return privileges(true);
      // RFC 4791 6.1.1: reading a calendar's busy time is a privilege of its own.
      return privileges(collectionOf(context)?.writable ?? false, context.calendar ? [el(caldav('read-free-busy'))] : []);
    },
  },
  {
    name: dav('supported-report-set'),
    kinds: [...COLLECTIONS, 'principal-collection', 'schedule-inbox', 'schedule-outbox'],
    inAllprop: false,
    compute: ({ reports }) => (reports ?? []).map((name) => el(dav('supported-report'), [el(dav('report'), [el(name)])])),
  },
  {
    name: calserver('getctag'),
    kinds: SYNCABLE,
    inAllprop: false,
    compute: (context) => collectionOf(context)?.syncToken,
  },
  {
    name: dav('sync-token'),
    kinds: SYNCABLE,
    inAllprop: false,
    compute: (context) => collectionOf(context)?.syncToken,
  },
  {
    name: dav('owner'),
    kinds: COLLECTIONS,
    inAllprop: false,
    compute: (context) => {
      const owner = ownerOf(context);
      return owner === null ? [] : [el(dav('href'), principalPath(context.prefix, owner))];
    },
  },
  {
    name: dav('getetag'),
    kinds: OBJECTS,
    inAllprop: true,
    compute: (context) => {
      const object = objectOf(context);
      return object ? quoteEtag(object.etag) : undefined;
    },
  },
  {
    name: dav('getlastmodified'),
    kinds: OBJECTS,
    inAllprop: true,
    compute: (context) => {
      const object = objectOf(context);
      return object ? new Date(object.lastModified).toUTCString() : undefined;
    },
  },
];
