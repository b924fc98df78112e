import { resolveResource } from './resource';

describe('resource resolution', () => {
  it('knows the root, the prefix root and principals', () => {
    expect(resolveResource('/', '/dav')).toEqual({ kind: 'root', path: '/' });
    expect(resolveResource('/dav', '/dav')).toEqual({ kind: 'root', path: '/dav/' });
    expect(resolveResource('/dav/principals/users/42', '/dav')).toEqual({
      kind: 'principal',
      path: '/dav/principals/users/42/',
      userId: 42,
    });
    expect(resolveResource('/dav//principals/users/42/?x=1', '/dav')?.kind).toBe('principal');
  });

  it('knows the principal collection and the users collection under it', () => {
    expect(resolveResource('/dav/principals', '/dav')).toEqual({ kind: 'principal-collection', path: '/dav/principals/', level: 'principals' });
    expect(resolveResource('/dav/principals/users', '/dav')).toEqual({ kind: 'principal-collection', path: '/dav/principals/users/', level: 'users' });
    expect(resolveResource('/principals/', '')).toEqual({ kind: 'principal-collection', path: '/principals/', level: 'principals' });
    expect(resolveResource('/dav/principals/groups/', '/dav')).toBeUndefined();
  });

  it('knows the schedule inbox and outbox in the calendar home; the inbox\'s messages are calendar objects of its segment', () => {
    expect(resolveResource('/dav/caldav/inbox', '/dav')).toEqual({ kind: 'schedule-inbox', path: '/dav/caldav/inbox/', segment: 'inbox' });
    expect(resolveResource('/dav/caldav/outbox/', '/dav')).toEqual({ kind: 'schedule-outbox', path: '/dav/caldav/outbox/' });
    expect(resolveResource('/dav/caldav/inbox/m.ics', '/dav')).toEqual({ kind: 'calendar-object', path: '/dav/caldav/inbox/m.ics', segment: 'inbox', name: 'm.ics' });
    expect(resolveResource('/dav/caldav/Inbox/', '/dav')?.kind).toBe('calendar');
  });

  it('knows the notification collection in the calendar home and the notifications in it', () => {
    expect(resolveResource('/dav/caldav/notifications', '/dav')).toEqual({ kind: 'notifications', path: '/dav/caldav/notifications/' });
    expect(resolveResource('/dav/caldav/notifications/a-b.xml', '/dav')).toEqual({ kind: 'notification', path: '/dav/caldav/notifications/a-b.xml', name: 'a-b.xml' });
    expect(resolveResource('/dav/caldav/Notifications/', '/dav')?.kind).toBe('calendar');
  });

  it('sends the well-known paths to discovery', () => {
    expect(resolveResource('/.well-known/caldav', '/dav')).toEqual({ kind: 'well-known', path: '/.well-known/caldav', service: 'caldav' });
  });

  it('refuses dot segments, bad escapes and foreign paths', () => {
    expect(resolveResource('/dav/principals/users/1/../2/', '/dav')).toBeUndefined();
    expect(resolveResource('/dav/%E0%A4%A', '/dav')).toBeUndefined();
    expect(resolveResource('/other/', '/dav')).toBeUndefined();
    expect(resolveResource('/dav/principals/users/0/', '/dav')).toBeUndefined();
    expect(resolveResource('/dav/principals/users/2147483648/', '/dav')).toBeUndefined();
    expect(resolveResource('/dav/principals/users/2147483647/', '/dav')?.kind).toBe('principal');
    expect(resolveResource('/dav/caldav/x/%00.ics', '/dav')).toBeUndefined();
    expect(resolveResource('/dav/carddav/%1F/', '/dav')).toBeUndefined();
    expect(resolveResource('/dav/caldav/x/a%7Fb.ics', '/dav')).toBeUndefined();
  });
});

describe('prefix paths', () => {
  it('serves everything at the root when the prefix is /', () => {
    expect(resolveResource('/principals/users/3/', '')).toEqual({ kind: 'principal', path: '/principals/users/3/', userId: 3 });
    expect(resolveResource('/', '')).toEqual({ kind: 'root', path: '/' });
  });

  it('answers requests a proxy forwards under the proxy prefix as if they came under the prefix', () => {
    expect(resolveResource('/servlet/dav/principals/users/3/', '/dav', '/servlet/dav')).toEqual({
      kind: 'principal',
      path: '/dav/principals/users/3/',
      userId: 3,
    });
    expect(resolveResource('/servlet/dav/', '/dav', '/servlet/dav')).toEqual({ kind: 'root', path: '/dav/' });
    expect(resolveResource('/servletx/dav/', '/dav', '/servlet/dav')).toBeUndefined();
  });

  it('takes a request under the proxy prefix from it when the prefix is / (the virtual host: the proxy adds /dav)', () => {
    expect(resolveResource('/dav/caldav/7/a.ics', '', '/dav')).toEqual({ kind: 'calendar-object', path: '/caldav/7/a.ics', segment: '7', name: 'a.ics' });
    expect(resolveResource('/dav/', '', '/dav')).toEqual({ kind: 'root', path: '/' });
    expect(resolveResource('/dav/principals/users/3/', '', '/dav')).toEqual({ kind: 'principal', path: '/principals/users/3/', userId: 3 });
    // What a client names itself (a Destination, an If: tag) stays at the root.
    expect(resolveResource('/caldav/7/a.ics', '', '/dav')).toEqual({ kind: 'calendar-object', path: '/caldav/7/a.ics', segment: '7', name: 'a.ics' });
  });
});

describe('CalDAV paths', () => {
  it('knows the calendar home, collections by their name and objects by the client name', () => {
    expect(resolveResource('/dav/caldav', '/dav')).toEqual({ kind: 'calendar-home', path: '/dav/caldav/' });
    expect(resolveResource('/dav/caldav/12', '/dav')).toEqual({ kind: 'calendar', path: '/dav/caldav/12/', segment: '12' });
    expect(resolveResource('/dav/caldav/work-cal/', '/dav')).toEqual({ kind: 'calendar', path: '/dav/caldav/work-cal/', segment: 'work-cal' });
    expect(resolveResource('/dav/caldav/12/A%20B.ics', '/dav')).toEqual({
      kind: 'calendar-object',
      path: '/dav/caldav/12/A B.ics',
      segment: '12',
      name: 'A B.ics',
    });
    expect(resolveResource('/dav/caldav/12/a/b.ics', '/dav')).toBeUndefined();
  });
});
