import { caldav, calserver, carddav, dav, el } from '@davmesh/dav';
import { principalPath } from '../resources/resource';
import { privileges } from '../properties/privileges';
import { type LiveProperty } from '../properties/property';

const PRINCIPAL_AND_ROOT = ['root', 'principal'] as const;
const PRINCIPAL_COLLECTIONS = ['principal-collection'] as const;

/**
 * RFC 5397, RFC 3744 principal properties, and the homes of RFC 4791 and RFC 6352 (only on the
 * user's own principal: /caldav/ and /carddav/ are always the requester's, never a colleague's).
 * The cheap discovery ones are in allprop too, so a bare PROPFIND (curl, scripts)
 * already answers with the principal and its homes.
 */
export const PRINCIPAL_PROPERTIES: LiveProperty[] = [
  {
    name: dav('resourcetype'),
    kinds: PRINCIPAL_AND_ROOT,
    inAllprop: true,
    compute: ({ resource }) =>
      resource.kind === 'principal' ? [el(dav('collection')), el(dav('principal'))] : [el(dav('collection'))],
  },
  {
    name: dav('resourcetype'),
    kinds: PRINCIPAL_COLLECTIONS,
    inAllprop: true,
    compute: () => [el(dav('collection'))],
  },
  {
    name: dav('displayname'),
    kinds: PRINCIPAL_COLLECTIONS,
    inAllprop: true,
    compute: ({ resource }) => (resource.kind === 'principal-collection' && resource.level === 'users' ? 'Users' : 'Principals'),
  },
  {
    // Read only: nobody creates, removes or changes principals over DAV.
    name: dav('current-user-privilege-set'),
    kinds: PRINCIPAL_COLLECTIONS,
    inAllprop: false,
    compute: () => privileges(false),
  },
  {
    name: dav('displayname'),
    kinds: PRINCIPAL_AND_ROOT,
    inAllprop: true,
    compute: ({ subjectUser }) => subjectUser.displayName,
  },
  {
    name: dav('current-user-principal'),
    kinds: [...PRINCIPAL_AND_ROOT, ...PRINCIPAL_COLLECTIONS],
    inAllprop: true,
    compute: ({ currentUser, prefix }) => [el(dav('href'), principalPath(prefix, currentUser.userId))],
  },
  {
    // RFC 5397 3: on every resource; DAVx5 and Tasks.org ask for it on the URL given and on each collection.
    name: dav('current-user-principal'),
    kinds: ['addressbook-home', 'addressbook', 'aggregated-addressbook', 'contact', 'calendar-home', 'calendar', 'calendar-object', 'schedule-inbox', 'schedule-outbox', 'notifications', 'notification'],
    inAllprop: false,
    compute: ({ currentUser, prefix }) => [el(dav('href'), principalPath(prefix, currentUser.userId))],
  },
  {
    name: dav('principal-URL'),
    kinds: PRINCIPAL_AND_ROOT,
    inAllprop: true,
    compute: ({ subjectUser, prefix }) => [el(dav('href'), principalPath(prefix, subjectUser.userId))],
  },
  {
    name: dav('principal-collection-set'),
    kinds: [...PRINCIPAL_AND_ROOT, ...PRINCIPAL_COLLECTIONS],
    inAllprop: false,
    compute: ({ prefix }) => [el(dav('href'), `${prefix}/principals/`)],
  },
  {
    name: dav('owner'),
    kinds: ['principal'],
    inAllprop: false,
    compute: ({ subjectUser, prefix }) => [el(dav('href'), principalPath(prefix, subjectUser.userId))],
  },
  {
    name: caldav('calendar-home-set'),
    kinds: PRINCIPAL_AND_ROOT,
    inAllprop: true,
    compute: ({ prefix, config, currentUser, subjectUser }) =>
      subjectUser.userId === currentUser.userId && config.values['com.openexchange.caldav.enabled'].value === true ? [el(dav('href'), `${prefix}/caldav/`)] : undefined,
  },
  {
    name: carddav('addressbook-home-set'),
    kinds: PRINCIPAL_AND_ROOT,
    inAllprop: true,
    compute: ({ prefix, config, currentUser, subjectUser }) =>
      subjectUser.userId === currentUser.userId && config.values['com.openexchange.carddav.enabled'].value === true ? [el(dav('href'), `${prefix}/carddav/`)] : undefined,
  },
  {
    name: caldav('calendar-user-address-set'),
    kinds: PRINCIPAL_AND_ROOT,
    inAllprop: true,
    compute: ({ subjectUser, prefix }) => [
      ...(subjectUser.email ? [el(dav('href'), `mailto:${subjectUser.email}`)] : []),
      el(dav('href'), principalPath(prefix, subjectUser.userId)),
    ],
  },
  {
    name: calserver('email-address-set'),
    kinds: ['principal'],
    inAllprop: false,
    compute: ({ subjectUser }) =>
      subjectUser.email ? [el(calserver('email-address'), subjectUser.email)] : undefined,
  },
];
