import { UsersAdd, type User } from '@davmesh/contracts';
import { parseXml, type XmlElement } from '@davmesh/dav';
import { runCli } from '@davmesh/cli';
import { APPLE_CALENDAR_UA, hrefsOf, parseMultistatus, vcalendar, vevent, type ParsedResponse } from '@davmesh/testing';
import { dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const CS = 'http://calendarserver.org/ns/';
const CALDAV = 'urn:ietf:params:xml:ns:caldav';
const NOTIFICATIONS = '/dav/caldav/notifications/';
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
/** What Apple's clients and CalendarServer's tests send the sharing bodies as. */
const TEXT_XML = { 'Content-Type': 'text/xml; charset=utf-8' };
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };

// The request bodies below are those of macOS Calendar as CalendarServer's load simulator
// (contrib/performance/loadtest/request-data/OS_X_10_11) and its caldavtester scripts
// (scripts/tests/CalDAV/sharing-*.xml, Resource/CalDAV/sharing/) record them; the sharee's
// address and the invitation's uid filled in where those have variables.

/** startup_principal_propfind.request */
const PRINCIPAL_PROPFIND = `<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <B:calendar-home-set xmlns:B="urn:ietf:params:xml:ns:caldav"/>
    <B:calendar-user-address-set xmlns:B="urn:ietf:params:xml:ns:caldav"/>
    <A:current-user-principal/>
    <A:displayname/>
    <C:dropbox-home-URL xmlns:C="http://calendarserver.org/ns/"/>
    <C:email-address-set xmlns:C="http://calendarserver.org/ns/"/>
    <C:notification-URL xmlns:C="http://calendarserver.org/ns/"/>
    <A:principal-collection-set/>
    <A:principal-URL/>
    <A:resource-id/>
    <B:schedule-inbox-URL xmlns:B="urn:ietf:params:xml:ns:caldav"/>
    <B:schedule-outbox-URL xmlns:B="urn:ietf:params:xml:ns:caldav"/>
    <A:supported-report-set/>
  </A:prop>
</A:propfind>`;

/** poll_calendarhome_depth1_propfind.request, trimmed to what sharing reads. */
const HOME_PROPFIND = `<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <C:allowed-sharing-modes xmlns:C="http://calendarserver.org/ns/"/>
    <A:current-user-privilege-set/>
    <A:displayname/>
    <C:getctag xmlns:C="http://calendarserver.org/ns/"/>
    <C:invite xmlns:C="http://calendarserver.org/ns/"/>
    <A:owner/>
    <C:pre-publish-url xmlns:C="http://calendarserver.org/ns/"/>
    <C:publish-url xmlns:C="http://calendarserver.org/ns/"/>
    <A:resourcetype/>
    <C:shared-url xmlns:C="http://calendarserver.org/ns/"/>
    <B:supported-calendar-component-set xmlns:B="urn:ietf:params:xml:ns:caldav"/>
    <A:sync-token/>
  </A:prop>
</A:propfind>`;

/** poll_notification_depth1_propfind.request */
const NOTIFICATIONS_PROPFIND = `<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <A:getetag/>
    <C:notificationtype xmlns:C="http://calendarserver.org/ns/"/>
  </A:prop>
</A:propfind>`;

/** notification_sync.request */
const notificationSync = (token: string) => `<?xml version="1.0" encoding="UTF-8"?>
<A:sync-collection xmlns:A="DAV:">
  <A:sync-token>${token}</A:sync-token>
  <A:sync-level>1</A:sync-level>
  <A:prop>
    <C:notificationtype xmlns:C="http://calendarserver.org/ns/"/>
    <A:getetag/>
  </A:prop>
</A:sync-collection>`;

/** startup_calendar_color_proppatch.request and startup_calendar_displayname_proppatch.request, in one. */
const colourAndName = (colour: string, name: string) => `<?xml version="1.0" encoding="UTF-8"?>
<A:propertyupdate xmlns:A="DAV:"><A:set><A:prop><D:calendar-color xmlns:D="http://apple.com/ns/ical/" symbolic-color="orange">${colour}</D:calendar-color><A:displayname>${name}</A:displayname></A:prop></A:set></A:propertyupdate>`;

/** sharing/invites/new/1.xml (read-write) and invites/updatenew/1.xml (read). */
const share = (address: string, access: 'read' | 'read-write', summary = 'My Shared Calendar') => `<?xml version="1.0" encoding="utf-8" ?>
<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">
    <CS:set>
        <D:href>${address}</D:href>
        <CS:summary>${summary}</CS:summary>
        <CS:${access}/>
    </CS:set>
</CS:share>`;

/** sharing/invites/uninvitenew/1.xml */
const unshare = (address: string) => `<?xml version="1.0" encoding="utf-8" ?>
<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">
    <CS:remove>
        <D:href>${address}</D:href>
        <CS:summary>My Shared Calendar</CS:summary>
        <CS:read-write/>
    </CS:remove>
</CS:share>`;

/** sharing/invites/broken/1.xml */
const brokenShare = (address: string, bogus: string) => `<?xml version="1.0" encoding="utf-8" ?>
<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">
    <CS:set>
        <D:href>${address}</D:href>
        <CS:summary>My Shared Calendar</CS:summary>
        <CS:read-write/>
    </CS:set>
    <CS:set>
        <D:href>${bogus}</D:href>
        <CS:summary>Bogus Calendar</CS:summary>
        <CS:read-write/>
    </CS:set>
</CS:share>`;

/** The invite-reply macOS sends (ical.py's record of it): the href, host URL and uid of the notification echoed back. */
const acceptReply = (href: string, hostUrl: string, uid: string) => `<?xml version="1.0" encoding="UTF-8"?>
<C:invite-reply xmlns:C="http://calendarserver.org/ns/">
  <A:href xmlns:A="DAV:">${href}</A:href>
  <C:invite-accepted/>
  <C:hosturl>
    <A:href xmlns:A="DAV:">${hostUrl}</A:href>
  </C:hosturl>
  <C:in-reply-to>${uid}</C:in-reply-to>
  <C:summary>to share</C:summary>
</C:invite-reply>`;

/** sharing/replies/decline/1.xml */
const declineReply = (email: string, hostUrl: string, uid: string, name: string) => `<?xml version='1.0' encoding='UTF-8'?>
<invite-reply xmlns='http://calendarserver.org/ns/'>
  <href xmlns='DAV:'>mailto:${email}</href>
  <invite-declined/>
  <hosturl>
    <href xmlns='DAV:'>${hostUrl}</href>
  </hosturl>
  <in-reply-to>${uid}</in-reply-to>
  <summary>The Shared Calendar</summary>
  <common-name>${name}</common-name>
</invite-reply>`;

const event = (uid: string) => vcalendar(...vevent(uid, 'DTSTART:20300310T100000Z', 'DTEND:20300310T110000Z', `SUMMARY:${uid}`));

/** The element's child of that namespace and name. */
const child = (element: XmlElement | undefined, ns: string, local: string) => element?.children.find((c) => c.name.ns === ns && c.name.local === local);
/** Its children as `cs:name`, `cal:name` or `name` (DAV:). */
const kinds = (element: XmlElement | undefined) => element?.children.map((c) => `${c.name.ns === CS ? 'cs:' : c.name.ns === CALDAV ? 'cal:' : ''}${c.name.local}`) ?? [];

/** What an invitation notification says, read as a client reads its XML. */
interface Invitation {
  uid: string;
  sharee: string;
  status: string;
  access: string;
  hostUrl: string;
  organizer: string;
  organizerName: string;
  summary?: string;
  components: string[];
}

describe('calendarserver-sharing as macOS and iOS Calendar use it: invite, accept, decline, change, remove', () => {
  const server = sharedNodePerSuite();
  let olga: User;
  let gert: User;
  let hans: User;
  let otto: User;
  let calendar: string;
  const as = (user: User) => (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    dav(server().url, user.login, 'pw')(method, path, { 'User-Agent': APPLE_CALENDAR_UA, ...headers }, body);
  const propfind = async (user: User, path: string, body: string, depth: '0' | '1' = '0'): Promise<ParsedResponse[]> => {
    const answer = await as(user)('PROPFIND', path, { Depth: depth, ...XML }, body);
    expect(answer.status).toBe(207);
    return parseMultistatus(answer.text);
  };
  const homeEntry = async (user: User, href: string) => (await propfind(user, '/dav/caldav/', HOME_PROPFIND, '1')).find((r) => r.href === href);
  /** The notifications of a user, by href, each with its type element's name. */
  const notifications = async (user: User) => (await propfind(user, NOTIFICATIONS, NOTIFICATIONS_PROPFIND, '1')).filter((r) => r.href !== NOTIFICATIONS);
  const invitation = async (user: User, href: string): Promise<Invitation> => {
    const answer = await as(user)('GET', href);
    expect([answer.status, answer.headers['content-type']]).toEqual([200, 'application/xml; charset=utf-8']);
    const root = await parseXml(answer.text);
    expect(kinds(root)).toEqual(['cs:dtstamp', 'cs:invite-notification']);
    expect(child(root, CS, 'dtstamp')!.text).toMatch(/^\d{8}T\d{6}Z$/);
    const invite = child(root, CS, 'invite-notification')!;
    expect(invite.attributes['shared-type']).toBe('calendar');
    const organizer = child(invite, CS, 'organizer');
    return {
      uid: child(invite, CS, 'uid')!.text,
      sharee: hrefsOf(invite)[0],
      status: kinds(invite).find((k) => k.startsWith('cs:invite-'))!,
      access: kinds(child(invite, CS, 'access'))[0],
      hostUrl: hrefsOf(child(invite, CS, 'hosturl'))[0],
      organizer: hrefsOf(organizer)[0],
      organizerName: child(organizer, CS, 'common-name')!.text,
      summary: child(invite, CS, 'summary')?.text,
      components: child(invite, CALDAV, 'supported-calendar-component-set')!.children.map((c) => c.attributes['name']),
    };
  };
  /** The only invitation notification of a user. */
  const onlyInvitation = async (user: User) => {
    const listed = await notifications(user);
    expect(listed.map((n) => kinds(n.found.get(`{${CS}}notificationtype`)))).toEqual([['cs:invite-notification']]);
    return { href: listed[0].href, ...(await invitation(user, listed[0].href)) };
  };
  /** The owner's CS:invite of the shared calendar: per sharee href, their name, answer and access. */
  const invites = async () => {
    const [entry] = await propfind(olga, calendar, `<A:propfind xmlns:A="DAV:" xmlns:CS="${CS}"><A:prop><CS:invite/><A:resourcetype/></A:prop></A:propfind>`);
    return (entry.found.get(`{${CS}}invite`)?.children ?? []).map((user) => ({
      href: hrefsOf(user)[0],
      name: child(user, CS, 'common-name')?.text,
      status: kinds(user).find((k) => k.startsWith('cs:invite-')),
      access: kinds(child(user, CS, 'access'))[0],
    }));
  };
  const post = (user: User, path: string, body: string, headers = TEXT_XML) => as(user)('POST', path, headers, body);

  beforeAll(async () => {
    olga = await server().addUser('olga', 'pw', { displayName: 'Olga Owner', email: 'olga@example.org' });
    gert = await server().addUser('gert', 'pw', { displayName: 'Gert Sharee', email: 'gert@example.org' });
    hans = await server().addUser('hans', 'pw', { displayName: 'Hans Sharee', email: 'hans@example.org' });
    const elsewhere = await server().addContext('elsewhere');
    otto = await server().bus.call(UsersAdd, { login: `otto-${elsewhere}`, password: 'pw', contextId: elsewhere, displayName: 'Otto Outsider', email: 'otto@example.org' });
    calendar = '/dav/caldav/shared/';
    expect((await as(olga)('MKCALENDAR', calendar)).status).toBe(201);
    expect((await as(olga)('PUT', `${calendar}olga.ics`, ICS, event('olga-1'))).status).toBe(201);
  }, 60_000);

  it('advertises calendarserver-sharing, the notification collection on the principal, and which calendars can be shared', async () => {
    const options = await as(olga)('OPTIONS', '/dav/caldav/');
    expect(options.headers['dav']).toContain('calendarserver-sharing');
    const [principal] = await propfind(gert, `/dav/principals/users/${gert.userId}/`, PRINCIPAL_PROPFIND);
    expect(hrefsOf(principal.found.get(`{${CS}}notification-URL`))).toEqual([NOTIFICATIONS]);
    const [collection] = await propfind(gert, NOTIFICATIONS, `<A:propfind xmlns:A="DAV:" xmlns:CS="${CS}"><A:prop><A:resourcetype/><A:sync-token/><CS:getctag/><A:supported-report-set/><A:owner/></A:prop></A:propfind>`);
    expect(kinds(collection.found.get('{DAV:}resourcetype'))).toEqual(['collection', 'cs:notification']);
    expect(collection.found.get('{DAV:}sync-token')?.text).toMatch(/^http:\/\/davmesh\.org\/ns\/sync\/notifications-\d+$/);
    expect(kinds(collection.found.get('{DAV:}supported-report-set')?.children[0]?.children[0])).toEqual(['sync-collection']);
    expect(hrefsOf(collection.found.get('{DAV:}owner'))).toEqual([`/dav/principals/users/${gert.userId}/`]);

    const own = await homeEntry(olga, calendar);
    expect(kinds(own!.found.get(`{${CS}}allowed-sharing-modes`))).toEqual(['cs:can-be-shared']);
    expect(kinds(own!.found.get('{DAV:}resourcetype'))).toEqual(['collection', 'cal:calendar']);
    expect(own!.missing.get(`{${CS}}invite`)).toBe(404);
  });

  let invited: Awaited<ReturnType<typeof onlyInvitation>>;

  it('owner shares read-write: the sharee finds an invitation in their notification collection, and nothing is shared yet', async () => {
    expect((await post(olga, calendar, share('mailto:gert@example.org', 'read-write'))).status).toBe(200);
    invited = await onlyInvitation(gert);
    const folderHref = invited.hostUrl;
    expect(folderHref).toMatch(/^\/dav\/caldav\/\d+\/$/);
    expect(invited).toMatchObject({
      sharee: 'mailto:gert@example.org',
      status: 'cs:invite-noresponse',
      access: 'cs:read-write',
      organizer: `/dav/principals/users/${olga.userId}/`,
      organizerName: 'Olga Owner',
      summary: 'My Shared Calendar',
      components: ['VEVENT', 'VTODO'],
    });
    expect(invited.href).toBe(`${NOTIFICATIONS}${invited.uid}.xml`);
    expect(await homeEntry(gert, folderHref)).toBeUndefined();
    expect((await as(gert)('GET', `${folderHref}olga.ics`)).status).toBe(404);

    expect(await invites()).toEqual([{ href: 'mailto:gert@example.org', name: 'Gert Sharee', status: 'cs:invite-noresponse', access: 'cs:read-write' }]);
    const own = await homeEntry(olga, calendar);
    expect(kinds(own!.found.get('{DAV:}resourcetype'))).toEqual(['collection', 'cal:calendar', 'cs:shared-owner']);
  });

  it('sharee accepts: the answer names the calendar in their home, where it is shared, writable and shows its owner; the owner sees the acceptance and a reply notification', async () => {
    const accepted = await post(gert, '/dav/caldav/', acceptReply(invited.sharee, invited.hostUrl, invited.uid), XML);
    expect(accepted.status).toBe(200);
    const sharedAs = await parseXml(accepted.text);
    expect([sharedAs.name.ns, sharedAs.name.local, hrefsOf(sharedAs)]).toEqual([CS, 'shared-as', [invited.hostUrl]]);

    const view = await homeEntry(gert, invited.hostUrl);
    expect(kinds(view!.found.get('{DAV:}resourcetype'))).toEqual(['collection', 'cal:calendar', 'cs:shared']);
    expect(hrefsOf(view!.found.get(`{${CS}}shared-url`))).toEqual([invited.hostUrl]);
    expect(hrefsOf(view!.found.get('{DAV:}owner'))).toEqual([`/dav/principals/users/${olga.userId}/`]);
    expect(view!.missing.get(`{${CS}}allowed-sharing-modes`)).toBe(404);
    const invite = view!.found.get(`{${CS}}invite`)!;
    expect(kinds(invite)).toEqual(['cs:organizer', 'cs:user']);
    expect([hrefsOf(child(invite, CS, 'organizer'))[0], child(child(invite, CS, 'organizer'), CS, 'common-name')?.text]).toEqual([`/dav/principals/users/${olga.userId}/`, 'Olga Owner']);
    expect(kinds(child(invite, CS, 'user'))).toEqual(['href', 'cs:common-name', 'cs:invite-accepted', 'cs:access', 'cs:summary']);
    expect(view!.found.get('{DAV:}current-user-privilege-set')!.children.flatMap((p) => p.children.map((c) => c.name.local))).toContain('write');

    expect((await as(gert)('GET', `${invited.hostUrl}olga.ics`)).text).toContain('UID:olga-1');
    expect((await as(gert)('PUT', `${invited.hostUrl}gert.ics`, ICS, event('gert-1'))).status).toBe(201);
    expect((await as(olga)('GET', `${calendar}gert.ics`)).text).toContain('UID:gert-1');

    expect(await invites()).toEqual([{ href: 'mailto:gert@example.org', name: 'Gert Sharee', status: 'cs:invite-accepted', access: 'cs:read-write' }]);
    const sync = await as(olga)('REPORT', NOTIFICATIONS, { Depth: '1', ...XML }, notificationSync(''));
    const [reply] = (await parseMultistatus(sync.text)).filter((r) => r.href !== NOTIFICATIONS);
    expect(kinds(reply.found.get(`{${CS}}notificationtype`))).toEqual(['cs:invite-reply']);
    const replyXml = await parseXml((await as(olga)('GET', reply.href)).text);
    const body = child(replyXml, CS, 'invite-reply')!;
    expect(kinds(body)).toEqual(['href', 'cs:invite-accepted', 'cs:hosturl', 'cs:in-reply-to', 'cs:summary', 'cs:common-name']);
    expect([hrefsOf(body)[0], hrefsOf(child(body, CS, 'hosturl'))[0], child(body, CS, 'in-reply-to')?.text, child(body, CS, 'summary')?.text]).toEqual([
      'mailto:gert@example.org',
      invited.hostUrl,
      invited.uid,
      'to share',
    ]);
  });

  it('sharee handles the notification: sync-collection reports it gone after the DELETE', async () => {
    const first = await as(gert)('REPORT', NOTIFICATIONS, { Depth: '1', ...XML }, notificationSync(''));
    expect(first.status).toBe(207);
    const token = /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(first.text)![1];
    expect((await as(gert)('DELETE', invited.href)).status).toBe(204);
    expect((await as(gert)('GET', invited.href)).status).toBe(404);
    expect((await as(gert)('PUT', invited.href, XML, '<x/>')).status).toBe(403);
    const after = await as(gert)('REPORT', NOTIFICATIONS, { Depth: '1', ...XML }, notificationSync(token));
    expect(after.text).toContain(`<d:href>${invited.href}</d:href><d:status>HTTP/1.1 404 Not Found</d:status>`);
    const calendarToken = `http://davmesh.org/ns/sync/${/\/(\d+)\/$/.exec(invited.hostUrl)![1]}-1`;
    expect((await as(gert)('REPORT', NOTIFICATIONS, XML, notificationSync(calendarToken))).status).toBe(403);
    expect(await notifications(gert)).toEqual([]);
  });

  it('owner downgrades to read: the sharee is told, keeps the calendar and can no longer write', async () => {
    expect((await post(olga, calendar, share('mailto:gert@example.org', 'read'))).status).toBe(200);
    const changed = await onlyInvitation(gert);
    expect(changed).toMatchObject({ uid: invited.uid, status: 'cs:invite-accepted', access: 'cs:read' });
    expect(await homeEntry(gert, invited.hostUrl)).toBeDefined();
    const put = await as(gert)('PUT', `${invited.hostUrl}gert-2.ics`, ICS, event('gert-2'));
    expect([put.status, put.text]).toEqual([403, expect.stringContaining('need-privileges')]);
    expect(await invites()).toEqual([{ href: 'mailto:gert@example.org', name: 'Gert Sharee', status: 'cs:invite-accepted', access: 'cs:read' }]);
  });

  it('a read-only sharee names and colours the calendar for themselves (caldav-sharing 5.5.3); the owner\'s stays as it was', async () => {
    expect((await homeEntry(gert, invited.hostUrl))!.found.get('{DAV:}displayname')?.text).toBe('to share');
    const privileges = (await homeEntry(gert, invited.hostUrl))!.found.get('{DAV:}current-user-privilege-set')!.children.flatMap((p) => p.children.map((c) => c.name.local));
    expect(privileges).toEqual(['read', 'read-current-user-privilege-set', 'read-free-busy', 'write-properties']);
    const patched = await as(gert)('PROPPATCH', invited.hostUrl, XML, colourAndName('#FD8208FF', 'Olga\'s'));
    expect([patched.status, patched.text]).toEqual([207, expect.stringContaining('HTTP/1.1 200 OK')]);
    const [mine] = await propfind(gert, invited.hostUrl, '<A:propfind xmlns:A="DAV:" xmlns:I="http://apple.com/ns/ical/"><A:prop><A:displayname/><I:calendar-color/></A:prop></A:propfind>');
    expect([mine.found.get('{DAV:}displayname')?.text, mine.found.get('{http://apple.com/ns/ical/}calendar-color')?.text]).toEqual(["Olga's", '#FD8208FF']);
    const [owners] = await propfind(olga, calendar, '<A:propfind xmlns:A="DAV:" xmlns:I="http://apple.com/ns/ical/"><A:prop><A:displayname/><I:calendar-color/></A:prop></A:propfind>');
    expect(owners.found.get('{DAV:}displayname')?.text).toBe('shared');
    expect(owners.missing.get('{http://apple.com/ns/ical/}calendar-color')).toBe(404);
    const zone = await as(gert)('PROPPATCH', invited.hostUrl, XML, '<A:propertyupdate xmlns:A="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><A:set><A:prop><C:calendar-timezone>BEGIN:VCALENDAR</C:calendar-timezone></A:prop></A:set></A:propertyupdate>');
    expect([zone.status, zone.text]).toEqual([403, expect.stringContaining('need-privileges')]);
  });

  it('nobody but the owner shares: a sharee gets 403, a user of another context 404, and an invitation to someone outside or to oneself changes nothing', async () => {
    const reshare = await post(gert, invited.hostUrl, share('mailto:hans@example.org', 'read'));
    expect([reshare.status, reshare.text]).toEqual([403, expect.stringContaining('need-privileges')]);
    expect((await post(otto, invited.hostUrl, share('mailto:hans@example.org', 'read'))).status).toBe(404);

    const broken = await post(olga, calendar, brokenShare('mailto:hans@example.org', 'mailto:otto@example.org'));
    expect(broken.status).toBe(207);
    const statuses = (await parseXml(broken.text)).children.map((r) => [hrefsOf(r)[0], child(r, 'DAV:', 'status')?.text]);
    expect(statuses).toEqual([
      ['mailto:hans@example.org', 'HTTP/1.1 424 Failed Dependency'],
      ['mailto:otto@example.org', 'HTTP/1.1 403 Forbidden'],
    ]);
    const self = await post(olga, calendar, share('mailto:olga@example.org', 'read-write'));
    expect([self.status, self.text]).toEqual([207, expect.stringContaining('HTTP/1.1 403 Forbidden')]);
    const nonsense = await post(olga, calendar, share('urn:x-uid:nobody', 'read'));
    expect(nonsense.status).toBe(207);
    expect(await notifications(hans)).toEqual([]);
    expect((await invites()).map((i) => i.href)).toEqual(['mailto:gert@example.org']);
    expect((await post(olga, '/dav/caldav/', share('mailto:hans@example.org', 'read'))).status).toBe(403);
    expect((await post(olga, calendar, share('mailto:hans@example.org', 'read'), ICS)).status).toBe(415);
    const unknown = await post(hans, '/dav/caldav/', acceptReply('mailto:hans@example.org', invited.hostUrl, invited.uid), XML);
    expect([unknown.status, unknown.text]).toEqual([403, expect.stringContaining('invalid-share')]);
  });

  it('owner removes the sharee: the calendar leaves their home, its events are out of reach, and they are told', async () => {
    expect((await post(olga, calendar, unshare('mailto:gert@example.org'))).status).toBe(200);
    expect(await homeEntry(gert, invited.hostUrl)).toBeUndefined();
    expect((await as(gert)('GET', `${invited.hostUrl}olga.ics`)).status).toBe(404);
    expect(await onlyInvitation(gert)).toMatchObject({ uid: invited.uid, status: 'cs:invite-deleted' });
    expect(await invites()).toEqual([]);
    const own = await homeEntry(olga, calendar);
    expect(kinds(own!.found.get('{DAV:}resourcetype'))).toEqual(['collection', 'cal:calendar']);
  });

  it('sharee declines: 204, the calendar stays out of their home and the owner sees the decline', async () => {
    expect((await post(olga, calendar, share('mailto:hans@example.org', 'read'))).status).toBe(200);
    const offer = await onlyInvitation(hans);
    const declined = await post(hans, '/dav/caldav/', declineReply('hans@example.org', offer.hostUrl, offer.uid, 'Hans Sharee'), XML);
    expect(declined.status).toBe(204);
    expect(await homeEntry(hans, offer.hostUrl)).toBeUndefined();
    expect(await invites()).toEqual([{ href: 'mailto:hans@example.org', name: 'Hans Sharee', status: 'cs:invite-declined', access: 'cs:read' }]);
    const replies = (await notifications(olga)).filter((n) => n.href === `${NOTIFICATIONS}${offer.uid}-reply.xml`);
    expect(replies).toHaveLength(1);
    expect(kinds(child(await parseXml((await as(olga)('GET', replies[0].href)).text), CS, 'invite-reply'))).toContain('cs:invite-declined');
  });

  it('sharee deletes an accepted calendar from their home: the share is declined, the owner\'s calendar untouched', async () => {
    expect((await post(olga, calendar, share('mailto:hans@example.org', 'read-write'))).status).toBe(200);
    const offer = await onlyInvitation(hans);
    expect(offer.status).toBe('cs:invite-noresponse');
    expect((await post(hans, '/dav/caldav/', acceptReply(offer.sharee, offer.hostUrl, offer.uid), XML)).status).toBe(200);
    expect(await homeEntry(hans, offer.hostUrl)).toBeDefined();

    expect((await as(hans)('DELETE', offer.hostUrl)).status).toBe(204);
    expect(await homeEntry(hans, offer.hostUrl)).toBeUndefined();
    expect((await invites()).find((i) => i.href === 'mailto:hans@example.org')?.status).toBe('cs:invite-declined');
    expect((await as(olga)('GET', `${calendar}olga.ics`)).status).toBe(200);
  });

  it('takes the WebDAV resource-sharing draft\'s DAV:share-resource, as SabreDAV\'s clients send it: read-write with a comment, then no-access', async () => {
    const ida = await server().addUser('ida', 'pw', { displayName: 'Ida Sharee', email: 'ida@example.org' });
    const shareResource = (access: string, comment?: string) => `<?xml version="1.0" encoding="utf-8"?>
<D:share-resource xmlns:D="DAV:">
  <D:sharee>
    <D:href>mailto:ida@example.org</D:href>
    <D:prop><D:displayname>Ida Sharee</D:displayname></D:prop>${comment ? `\n    <D:comment>${comment}</D:comment>` : ''}
    <D:share-access><D:${access}/></D:share-access>
  </D:sharee>
</D:share-resource>`;
    expect((await post(olga, calendar, shareResource('read-write', 'Our plans'))).status).toBe(200);
    const offer = await onlyInvitation(ida);
    expect([offer.status, offer.access, offer.summary]).toEqual(['cs:invite-noresponse', 'cs:read-write', 'Our plans']);
    expect((await invites()).find((i) => i.href === 'mailto:ida@example.org')).toMatchObject({ status: 'cs:invite-noresponse', access: 'cs:read-write' });

    expect((await post(olga, calendar, shareResource('no-access'))).status).toBe(200);
    expect((await invites()).find((i) => i.href === 'mailto:ida@example.org')).toBeUndefined();
    expect(await notifications(ida)).toEqual([]);
    const noAccess = await post(olga, calendar, '<D:share-resource xmlns:D="DAV:"><D:sharee><D:href>mailto:ida@example.org</D:href></D:sharee></D:share-resource>');
    expect([noAccess.status, noAccess.text]).toEqual([403, expect.stringContaining('valid-request')]);
  });

  it('keeps the operator\'s CLI share working: granted at once, shown to the owner as accepted, not removable by the grantee', async () => {
    const folderId = /\/(\d+)\/$/.exec(invited.hostUrl)![1];
    const printed: string[] = [];
    const code = await runCli(['folder', 'share', folderId, '--type', 'calendar', '--with', gert.login, '--rights', 'write'], { DAVMESH_DATA: server().dataDir }, (line) => printed.push(line));
    expect(code).toBe(0);
    expect(await homeEntry(gert, invited.hostUrl)).toBeDefined();
    expect((await invites()).find((i) => i.href === 'mailto:gert@example.org')).toEqual({ href: 'mailto:gert@example.org', name: 'Gert Sharee', status: 'cs:invite-accepted', access: 'cs:read-write' });
    expect((await as(gert)('DELETE', invited.hostUrl)).status).toBe(403);
    expect((await as(gert)('PUT', `${invited.hostUrl}gert-3.ics`, ICS, event('gert-3'))).status).toBe(201);
  });

  it('owner deletes the shared calendar: it leaves every sharee\'s home, and an invitation never accepted is withdrawn', async () => {
    expect((await notifications(hans)).length).toBe(1);
    expect((await as(olga)('DELETE', calendar)).status).toBe(204);
    expect(await homeEntry(gert, invited.hostUrl)).toBeUndefined();
    expect((await as(gert)('GET', `${invited.hostUrl}olga.ics`)).status).toBe(404);
    // Hans had declined: his invitation goes with the calendar.
    expect(await notifications(hans)).toEqual([]);
  });
});
