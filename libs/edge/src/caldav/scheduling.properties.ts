import { SCHEDULE_INBOX_SEGMENT, SCHEDULE_OUTBOX_SEGMENT } from '@davmesh/contracts';
import { caldav, dav, el, firstChild } from '@davmesh/dav';
import { privileges } from '../properties/privileges';
import { type LiveProperty, type PropertyContext } from '../properties/property';
import { principalPath } from '../resources/resource';

const INBOX = ['schedule-inbox'] as const;
const OUTBOX = ['schedule-outbox'] as const;
const BOXES = [...INBOX, ...OUTBOX] as const;

/** The user's own principal, CalDAV on: where the schedule inbox and outbox URLs are given (as calendar-home-set is). */
export const ownCaldav = ({ config, currentUser, subjectUser }: PropertyContext) =>
  subjectUser.userId === currentUser.userId && config.values['com.openexchange.caldav.enabled'].value === true;

/** RFC 6638 6.1: an aggregate privilege with the ones it holds, each a DAV:privilege of current-user-privilege-set. */
const aggregate = (name: string, contained: string[]) => [el(caldav(name)), ...contained.map((local) => el(caldav(local)))];

/**
 * RFC 6638's properties: the schedule inbox and outbox URLs on the principal; on the inbox and outbox their resource type, privileges and owner, and on the inbox
 * the default calendar for scheduling, which its owner may set to another calendar of theirs
 * that holds events (checked where it is applied: CALDAV:valid-schedule-default-calendar-URL).
 */
export const SCHEDULING_PROPERTIES: LiveProperty[] = [
  {
    name: caldav('schedule-inbox-URL'),
    kinds: ['principal'],
    inAllprop: false,
    compute: (context) => (ownCaldav(context) ? [el(dav('href'), `${context.prefix}/caldav/${SCHEDULE_INBOX_SEGMENT}/`)] : undefined),
  },
  {
    name: caldav('schedule-outbox-URL'),
    kinds: ['principal'],
    inAllprop: false,
    compute: (context) => (ownCaldav(context) ? [el(dav('href'), `${context.prefix}/caldav/${SCHEDULE_OUTBOX_SEGMENT}/`)] : undefined),
  },
  {
    name: dav('resourcetype'),
    kinds: BOXES,
    inAllprop: true,
    compute: ({ resource }) => [el(dav('collection')), el(caldav(resource.kind === 'schedule-inbox' ? 'schedule-inbox' : 'schedule-outbox'))],
  },
  {
    name: dav('displayname'),
    kinds: BOXES,
    inAllprop: true,
    compute: ({ resource, calendar }) => (resource.kind === 'schedule-inbox' ? (calendar?.folder.displayName ?? 'Inbox') : 'Outbox'),
  },
  {
    // RFC 6638 6.1.1, 6.1.2: the owner reads and empties the inbox, sets its properties, and others may deliver to it;
    // nobody binds a member there. From the outbox they send.
    name: dav('current-user-privilege-set'),
    kinds: BOXES,
    inAllprop: false,
    compute: ({ resource }) =>
      resource.kind === 'schedule-inbox'
        ? privileges(false, [el(dav('unbind')), el(dav('write-properties')), ...aggregate('schedule-deliver', ['schedule-deliver-invite', 'schedule-deliver-reply', 'schedule-query-freebusy'])])
        : privileges(false, aggregate('schedule-send', ['schedule-send-invite', 'schedule-send-reply', 'schedule-send-freebusy'])),
  },
  {
    name: dav('owner'),
    kinds: BOXES,
    inAllprop: false,
    compute: ({ currentUser, prefix }) => [el(dav('href'), principalPath(prefix, currentUser.userId))],
  },
  {
    name: caldav('schedule-default-calendar-URL'),
    kinds: INBOX,
    inAllprop: false,
    set: (value) => {
      const href = value && firstChild(value, dav('href'))?.text.trim();
      return href ? { change: { scheduleDefaultCalendarHref: href } } : { refused: 403 };
    },
    compute: ({ calendar }) => {
      const href = calendar?.inbox?.defaultCalendarHref;
      return href ? [el(dav('href'), href)] : undefined;
    },
  },
];
