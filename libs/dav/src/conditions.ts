import { caldav, calserver, carddav, dav, davmesh, type QName } from './names';

/**
 * The pre- and postconditions the server names in a DAV:error body (RFC 4918 16, RFC 3253,
 * RFC 3744, RFC 5689, RFC 6578; RFC 4791, RFC 6638 and RFC 6352 each in their namespace), so none is spelled
 * as a string where it is raised.
 */
export const Condition = {
  CannotModifyProtectedProperty: dav('cannot-modify-protected-property'),
  NeedPrivileges: dav('need-privileges'),
  NumberOfMatchesWithinLimits: dav('number-of-matches-within-limits'),
  PropfindFiniteDepth: dav('propfind-finite-depth'),
  ResourceMustBeNull: dav('resource-must-be-null'),
  SupportedReport: dav('supported-report'),
  ValidResourcetype: dav('valid-resourcetype'),
  ValidSyncLevel: dav('valid-sync-level'),
  ValidSyncToken: dav('valid-sync-token'),
  CalendarMaxResourceSize: caldav('max-resource-size'),
  CalendarSupportedCollation: caldav('supported-collation'),
  SupportedCalendarData: caldav('supported-calendar-data'),
  ValidFilter: caldav('valid-filter'),
  ValidCalendarData: caldav('valid-calendar-data'),
  CalendarMaxAttendeesPerInstance: caldav('max-attendees-per-instance'),
  // RFC 6638 (CalDAV scheduling).
  AllowedAttendeeSchedulingObjectChange: caldav('allowed-attendee-scheduling-object-change'),
  OrganizerAllowed: caldav('organizer-allowed'),
  SameOrganizerInAllComponents: caldav('same-organizer-in-all-components'),
  UniqueSchedulingObjectResource: caldav('unique-scheduling-object-resource'),
  ValidOrganizer: caldav('valid-organizer'),
  ValidSchedulingMessage: caldav('valid-scheduling-message'),
  ValidScheduleDefaultCalendarUrl: caldav('valid-schedule-default-calendar-URL'),
  AddressbookMaxResourceSize: carddav('max-resource-size'),
  AddressbookSupportedCollation: carddav('supported-collation'),
  SupportedAddressData: carddav('supported-address-data'),
  SupportedFilter: carddav('supported-filter'),
  // calendarserver-sharing: a sharing POST whose body says nothing it can do, a reply to no invitation of the user.
  SharingValidRequest: calserver('valid-request'),
  InvalidShare: calserver('invalid-share'),
  // davmesh's own: the scheduling messages of one write would be larger than it sends (docs/scheduling.md, Bounds).
  MaxSchedulingMessages: davmesh('max-scheduling-messages'),
} as const satisfies Record<string, QName>;

export type Condition = (typeof Condition)[keyof typeof Condition];
