import { CalendarFoldersShare, UsersAdd, type User } from '@davmesh/contracts';
import { APPLE_CALENDAR_UA, IOS_DATAACCESSD_UA, parseMultistatus, readResponse, type ParsedResponse } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const CALDAV = 'urn:ietf:params:xml:ns:caldav';
const CS = 'http://calendarserver.org/ns/';

/** Apple's question about a calendar's owner: who is it, and how is that person addressed. */
const OWNER_EXPANDED = `<?xml version="1.0" encoding="UTF-8"?>
<A:expand-property xmlns:A="DAV:">
  <A:property name="owner"><A:property name="displayname"/><A:property name="calendar-user-address-set" namespace="${CALDAV}"/><A:property name="email-address-set" namespace="${CS}"/></A:property>
  <A:property name="calendar-proxy-write-for" namespace="${CS}"><A:property name="displayname"/></A:property>
</A:expand-property>`;

/** The response an expanded property holds, read like a top-level one. */
function nestedResponse(entry: ParsedResponse, property: string): ParsedResponse {
  const response = entry.found.get(property)?.children[0];
  if (response?.name.local !== 'response') throw new Error(`${property} was not expanded`);
  return readResponse(response);
}

describe('expand-property (RFC 3253 3.8) beyond the user\'s own principal', () => {
  const server = sharedNodePerSuite();
  let olga: User;
  let gert: User;
  let otto: User;
  let asGert: ReturnType<typeof dav>;
  let shared: string;
  const report = (path: string, body = OWNER_EXPANDED, ua = APPLE_CALENDAR_UA) =>
    asGert('REPORT', path, { Depth: '0', 'Content-Type': 'text/xml', 'User-Agent': ua }, body);

  beforeAll(async () => {
    olga = await server().addUser('olga', 'olga-pw');
    gert = await server().addUser('gert', 'gert-pw');
    const elsewhere = await server().addContext('elsewhere');
    otto = await server().bus.call(UsersAdd, { login: `otto-${elsewhere}`, password: 'otto-pw', contextId: elsewhere, displayName: 'Otto', email: 'otto@example.net' });
    const olgasCalendar = (await calendarHrefs(dav(server().url, olga.login, 'olga-pw')))['Calendar'];
    const folderId = Number(/\/(\d+)\/$/.exec(olgasCalendar)![1]);
    await server().bus.call(CalendarFoldersShare, { userId: olga.userId, folderId, granteeUserId: gert.userId, rights: 'read' });
    asGert = dav(server().url, gert.login, 'gert-pw');
    shared = `/dav/caldav/${folderId}/`;
  });

  it('expands the owner of a calendar shared with the user to the owner\'s name and addresses', async () => {
    const response = await report(shared);
    expect(response.status).toBe(207);
    const [entry] = await parseMultistatus(response.text);
    expect(entry.href).toBe(shared);
    const owner = nestedResponse(entry, '{DAV:}owner');
    expect(owner.href).toBe(`/dav/principals/users/${olga.userId}/`);
    expect(owner.found.get('{DAV:}displayname')?.text).toBe('olga');
    expect(owner.found.get(`{${CALDAV}}calendar-user-address-set`)?.children.map((c) => c.text)).toContain('mailto:olga@example.org');
    expect(owner.found.get(`{${CS}}email-address-set`)?.children[0].text).toBe('olga@example.org');
    expect(entry.missing.get(`{${CS}}calendar-proxy-write-for`)).toBe(404);
  });

  it('answers on the calendar home and on the user\'s own calendars, the owner being the user', async () => {
    for (const path of ['/dav/caldav/', (await calendarHrefs(asGert))['Tasks']]) {
      const response = await report(path, OWNER_EXPANDED, IOS_DATAACCESSD_UA);
      expect(response.status).toBe(207);
      const owner = nestedResponse((await parseMultistatus(response.text))[0], '{DAV:}owner');
      expect(owner.href).toBe(`/dav/principals/users/${gert.userId}/`);
      expect(owner.found.get('{DAV:}displayname')?.text).toBe('gert');
    }
  });

  it('answers on a colleague\'s principal (same context) without handing out the requester\'s own homes as theirs', async () => {
    const response = await report(
      `/dav/principals/users/${olga.userId}/`,
      `<A:expand-property xmlns:A="DAV:"><A:property name="principal-URL"><A:property name="displayname"/><A:property name="calendar-home-set" namespace="${CALDAV}"/></A:property></A:expand-property>`,
    );
    expect(response.status).toBe(207);
    const self = nestedResponse((await parseMultistatus(response.text))[0], '{DAV:}principal-URL');
    expect(self.href).toBe(`/dav/principals/users/${olga.userId}/`);
    expect(self.found.get('{DAV:}displayname')?.text).toBe('olga');
    expect(self.missing.get(`{${CALDAV}}calendar-home-set`)).toBe(404);
  });

  it('is 404 on a principal of another context, on an unknown principal and on a calendar the user cannot see', async () => {
    expect((await report(`/dav/principals/users/${otto.userId}/`)).status).toBe(404);
    expect((await report('/dav/principals/users/999999/')).status).toBe(404);
    const ottosCalendar = (await calendarHrefs(dav(server().url, otto.login, 'otto-pw')))['Calendar'];
    expect((await report(ottosCalendar)).status).toBe(404);
  });

  it('advertises expand-property in the supported-report-set of the home and of calendars', async () => {
    const response = await asGert('PROPFIND', '/dav/caldav/', { Depth: '1', 'Content-Type': 'application/xml' }, '<propfind xmlns="DAV:"><prop><supported-report-set/></prop></propfind>');
    for (const entry of await parseMultistatus(response.text)) {
      const reports = entry.found.get('{DAV:}supported-report-set')!.children.map((r) => r.children[0].children[0].name.local);
      expect(reports).toContain('expand-property');
    }
  });
});
