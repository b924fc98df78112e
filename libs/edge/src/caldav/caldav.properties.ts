import { CALENDAR_MAX_DATE_TIME, CALENDAR_MIN_DATE_TIME, type CalendarComponent } from '@davmesh/contracts';
import { caldav, calserver, childrenNamed, dav, el, firstChild, NS } from '@davmesh/dav';
import { quoteEtag } from '../http/conditional-headers';
import { calendarContentType, MAX_ICALENDAR_BYTES } from './calendar-media';
import { type LiveProperty } from '../properties/property';
import { isSharedByOwner, isSharedWithMe } from './sharing/sharing.properties';

const apple = (local: string) => ({ ns: NS.APPLE, local });
const HOME_AND_CALENDARS = ['calendar-home', 'calendar'] as const;
const CALENDARS = ['calendar'] as const;
const OBJECTS = ['calendar-object'] as const;
const COMPONENTS = new Set<string>(['VEVENT', 'VTODO', 'VJOURNAL']);

/** Earliest and latest instants the server accepts (RFC 4791 5.2.6, 5.2.7). */
const icalUtc = (iso: string) => iso.replace(/[-:]/g, '');
const MIN_DATE_TIME = icalUtc(CALENDAR_MIN_DATE_TIME);
const MAX_DATE_TIME = icalUtc(CALENDAR_MAX_DATE_TIME);

/** RFC 4791, RFC 6578, the calendarserver ctag and Apple's color and order on calendars and their objects. */
export const CALDAV_PROPERTIES: LiveProperty[] = [
  {
    name: dav('resourcetype'),
    kinds: [...HOME_AND_CALENDARS, ...OBJECTS],
    inAllprop: true,
    initial: (value) => (value && firstChild(value, caldav('calendar')) ? { change: {} } : { refused: 403 }),
    compute: (context) => {
      if (context.resource.kind === 'calendar-object') return [];
      if (context.resource.kind === 'calendar-home') return [el(dav('collection'))];
      // caldav-sharing 5.2.1: the owner's calendar they share, and a calendar shared with the user.
      const sharing = isSharedByOwner(context) ? [el(calserver('shared-owner'))] : isSharedWithMe(context) ? [el(calserver('shared'))] : [];
      return [el(dav('collection')), el(caldav('calendar')), ...sharing];
    },
  },
  {
    name: dav('displayname'),
    kinds: HOME_AND_CALENDARS,
    inAllprop: true,
    set: (value) => (value === undefined || value.text.trim() === '' ? { refused: 409 } : { change: { displayName: value.text } }),
    compute: ({ calendar, currentUser }) => calendar?.folder.displayName ?? currentUser.displayName,
  },
  {
    name: caldav('supported-calendar-component-set'),
    kinds: CALENDARS,
    inAllprop: false,
    initial: (value) => {
      const components = (value ? childrenNamed(value, caldav('comp')) : []).map((c) => (c.attributes['name'] ?? '').toUpperCase());
      if (components.length === 0 || components.some((c) => !COMPONENTS.has(c))) return { refused: 403 };
      return { change: { components: [...new Set(components)] as CalendarComponent[] } };
    },
    compute: ({ calendar }) => calendar?.folder.components.map((name) => el(caldav('comp'), undefined, { name })),
  },
  {
    name: caldav('supported-calendar-data'),
    kinds: CALENDARS,
    inAllprop: false,
    compute: () => [el(caldav('calendar-data'), undefined, { 'content-type': 'text/calendar', version: '2.0' })],
  },
  {
    name: caldav('max-resource-size'),
    kinds: CALENDARS,
    inAllprop: false,
    compute: () => String(MAX_ICALENDAR_BYTES),
  },
  {
    name: caldav('max-instances'),
    kinds: CALENDARS,
    inAllprop: false,
    compute: ({ config }) => String(config.values['davmesh.limits.maxInstances'].value),
  },
  {
    name: caldav('max-attendees-per-instance'),
    kinds: CALENDARS,
    inAllprop: false,
    compute: ({ config }) => String(config.values['davmesh.limits.maxAttendeesPerInstance'].value),
  },
  { name: caldav('min-date-time'), kinds: CALENDARS, inAllprop: false, compute: () => MIN_DATE_TIME },
  { name: caldav('max-date-time'), kinds: CALENDARS, inAllprop: false, compute: () => MAX_DATE_TIME },
  {
    name: caldav('calendar-description'),
    kinds: CALENDARS,
    inAllprop: false,
    set: (value) => ({ change: { description: value?.text ?? null } }),
    compute: ({ calendar }) => calendar?.folder.description ?? undefined,
  },
  {
    name: caldav('calendar-timezone'),
    kinds: CALENDARS,
    inAllprop: false,
    set: (value) => ({ change: { timezone: value?.text ?? null } }),
    compute: ({ calendar }) => calendar?.folder.timezone ?? undefined,
  },
  {
    name: apple('calendar-color'),
    kinds: CALENDARS,
    inAllprop: false,
    set: (value) => {
      const color = value?.text.trim() ?? null;
      return color === null || color.length <= 32 ? { change: { color } } : { refused: 409 };
    },
    compute: ({ calendar }) => calendar?.folder.color ?? undefined,
  },
  {
    name: apple('calendar-order'),
    kinds: CALENDARS,
    inAllprop: false,
    set: (value) => {
      if (value === undefined) return { change: { order: null } };
      return /^-?\d{1,9}$/.test(value.text.trim()) ? { change: { order: Number(value.text.trim()) } } : { refused: 409 };
    },
    compute: ({ calendar }) => (calendar?.folder.order === null || calendar?.folder.order === undefined ? undefined : String(calendar.folder.order)),
  },
  {
    name: dav('getcontenttype'),
    kinds: OBJECTS,
    inAllprop: true,
    compute: ({ calendarObject }) => (calendarObject ? calendarContentType(calendarObject.component) : undefined),
  },
  {
    name: dav('getcontentlength'),
    kinds: OBJECTS,
    inAllprop: true,
    compute: ({ calendarObject }) => (calendarObject ? String(calendarObject.size) : undefined),
  },
  {
    // RFC 6638 3.2.10: what the Schedule-Tag header says, on scheduling object resources only.
    name: caldav('schedule-tag'),
    kinds: OBJECTS,
    inAllprop: false,
    compute: ({ calendarObject }) => (calendarObject?.scheduleTag ? quoteEtag(calendarObject.scheduleTag) : undefined),
  },
  {
    name: caldav('calendar-data'),
    kinds: OBJECTS,
    inAllprop: false,
    compute: ({ calendarObject }) => calendarObject?.ical,
  },
];
