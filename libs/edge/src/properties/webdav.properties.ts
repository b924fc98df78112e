import { dav, el } from '@davmesh/dav';
import { quoteEtag } from '../http/conditional-headers';
import { principalPath } from '../resources/resource';
import { type LiveProperty, type PropertyContext } from './property';

const COLLECTIONS = ['calendar-home', 'calendar', 'addressbook-home', 'addressbook', 'aggregated-addressbook'] as const;
const OBJECTS = ['calendar-object', 'contact'] as const;

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

/** RFC 4918 and RFC 3744 properties that calendars and address books, and their objects, have alike. */
export const WEBDAV_PROPERTIES: LiveProperty[] = [
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
