import {
  type CalendarComponent,
  type CalendarFolderUpdate,
  type CalendarObjectMeta,
  type ContactObject,
  type EffectiveConfig,
  type NotificationMeta,
  type User,
} from '@davmesh/contracts';
import { type PropertyWrite, type QName, type XmlContent, type XmlElement } from '@davmesh/dav';
import { type VCardVersion } from '@davmesh/vcard';
import { type CalendarView } from '../caldav/caldav-scope';
import { type AddressbookView } from '../carddav/carddav-scope';
import { type Resource, type ResourceKind } from '../resources/resource';

export interface PropertyContext {
  /** The authenticated user making the request. */
  currentUser: User;
  /** The user a principal resource stands for (the current user on the root). */
  subjectUser: User;
  resource: Resource;
  prefix: string;
  /** The current user's effective configuration. */
  config: EffectiveConfig;
  /** On an address book (and its objects): the collection as this user sees it. */
  addressbook?: AddressbookView;
  /** On a contact: the object. */
  contact?: ContactObject;
  /** REPORTs the resource supports, from the report registry. */
  reports?: readonly QName[];
  /** In a REPORT asking for CARDDAV:address-data: the vCard version wanted (undefined: as stored). */
  addressDataVersion?: VCardVersion;
  /** On a calendar (and its objects): the collection as this user sees it. */
  calendar?: CalendarView;
  /** On a calendar object: its metadata, and its iCalendar data (expanded in a query that asked so) when read. */
  calendarObject?: CalendarObjectMeta & { ical?: string };
  /**
   * The users calendarserver-sharing's CS:invite names (sharees, the sharer), by id, as the
   * directory shows them to the current user; looked up only when CS:invite is asked for.
   */
  people?: ReadonlyMap<number, User>;
  /** On the notification collection: its sync token (and CTag). */
  notifications?: { syncToken: string };
  /** On a notification: its metadata. */
  notification?: NotificationMeta;
}

/**
 * What setting live properties changes on a collection; an address book takes displayName and
 * description, the schedule inbox the href of its default calendar.
 */
export type CollectionChange = NonNullable<CalendarFolderUpdate['props']> & { components?: CalendarComponent[]; scheduleDefaultCalendarHref?: string };

/** Sets (a value) or removes (undefined) a live property. */
export type LivePropertySetter = (value: XmlElement | undefined) => PropertyWrite<CollectionChange>;

/** One live property: where it exists, how its value is computed and, unless protected, how it is set. */
export interface LiveProperty {
  name: QName;
  kinds: readonly ResourceKind[];
  /** Returned for `allprop` (RFC 4918 keeps expensive or non-4918 ones out). */
  inAllprop: boolean;
  /** How PROPPATCH, MKCOL and MKCALENDAR set it; without one it is protected (RFC 4918 DAV:cannot-modify-protected-property). */
  set?: LivePropertySetter;
  /** How MKCOL and MKCALENDAR set it, where that differs from `set` (a property only a new collection takes). */
  initial?: LivePropertySetter;
  /** undefined: the resource has no value for it, answered 404 in PROPFIND. */
  compute(context: PropertyContext): XmlContent | undefined;
}
