import { type CalendarObjectMeta, type ContactObject, type EffectiveConfig, type User } from '@davmesh/contracts';
import { type QName, type XmlContent } from '@davmesh/dav';
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
}

/** One live property: where it exists and how its value is computed. */
export interface LiveProperty {
  name: QName;
  kinds: readonly ResourceKind[];
  /** Returned for `allprop` (RFC 4918 keeps expensive or non-4918 ones out). */
  inAllprop: boolean;
  /** Clients may not PROPPATCH it. */
  protected: boolean;
  /** undefined: the resource has no value for it, answered 404 in PROPFIND. */
  compute(context: PropertyContext): XmlContent | undefined;
}
