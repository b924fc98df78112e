import { APPLE_CALENDAR_UA, EVOLUTION_UA, hrefsOf, parseMultistatus } from '@davmesh/testing';
import { dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const PROPS = `<A:propfind xmlns:A="DAV:">
  <A:prop><A:resourcetype/><A:displayname/><A:current-user-principal/><A:current-user-privilege-set/></A:prop>
</A:propfind>`;

/** What Evolution sends to find an attendee by name. */
const byDisplayName = (value: string) => `<D:principal-property-search xmlns:D="DAV:">
  <D:apply-to-principal-collection-set/>
  <D:property-search><D:prop><D:displayname/></D:prop><D:match>${value}</D:match></D:property-search>
  <D:prop><D:displayname/></D:prop>
</D:principal-property-search>`;

/** What macOS Calendar sends while an attendee's name or address is typed. */
const appleAttendeeSearch = (value: string) => `<x0:principal-property-search xmlns:x0="DAV:" xmlns:x1="http://calendarserver.org/ns/" xmlns:x2="urn:ietf:params:xml:ns:caldav" test="anyof">
  <x0:property-search><x0:prop><x0:displayname/></x0:prop><x0:match match-type="starts-with">${value}</x0:match></x0:property-search>
  <x0:property-search><x0:prop><x1:email-address-set/></x0:prop><x0:match match-type="starts-with">${value}</x0:match></x0:property-search>
  <x0:property-search><x0:prop><x1:first-name/></x0:prop><x0:match match-type="starts-with">${value}</x0:match></x0:property-search>
  <x0:prop><x2:calendar-user-address-set/><x1:email-address-set/><x0:displayname/><x2:calendar-user-type/></x0:prop>
</x0:principal-property-search>`;

describe('the principal collection named by principal-collection-set', () => {
  const server = sharedNodePerSuite();
  let ownPrincipal: string;
  let olgaLogin: string;
  const asDemo = () => dav(server().url, server().demo.login, server().demo.password);

  beforeAll(async () => {
    // Colleagues in the same context: never listed, never found.
    olgaLogin = (await server().addUser('olga', 'olga-pass')).login;
    await server().addUser('demoted', 'demoted-pass');
    const root = await asDemo()('PROPFIND', '/dav/', { Depth: '0' }, '<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>');
    [ownPrincipal] = hrefsOf((await parseMultistatus(root.text))[0].found.get('{DAV:}current-user-principal'));
  });

  it('answers the PROPFIND macOS Calendar sends to the principal-collection-set href as a read-only collection', async () => {
    const root = await asDemo()('PROPFIND', '/dav/', { Depth: '0', 'User-Agent': APPLE_CALENDAR_UA }, '<propfind xmlns="DAV:"><prop><principal-collection-set/></prop></propfind>');
    const [collectionSet] = hrefsOf((await parseMultistatus(root.text))[0].found.get('{DAV:}principal-collection-set'));
    expect(collectionSet).toBe('/dav/principals/');
    const response = await asDemo()('PROPFIND', collectionSet, { Depth: '0', 'User-Agent': APPLE_CALENDAR_UA }, PROPS);
    expect(response.status).toBe(207);
    const [entry] = await parseMultistatus(response.text);
    expect(entry.href).toBe('/dav/principals/');
    expect(entry.found.get('{DAV:}resourcetype')?.children.map((c) => c.name.local)).toEqual(['collection']);
    expect(entry.found.get('{DAV:}displayname')?.text).toBe('Principals');
    expect(hrefsOf(entry.found.get('{DAV:}current-user-principal'))).toEqual([ownPrincipal]);
    const privileges = entry.found.get('{DAV:}current-user-privilege-set')?.children.map((p) => p.children[0].name.local);
    expect(privileges).toEqual(['read', 'read-current-user-privilege-set']);
  });

  it('lists only the users collection under /principals/, and only the own principal under /principals/users/', async () => {
    const top = await parseMultistatus((await asDemo()('PROPFIND', '/dav/principals/', { Depth: '1' }, PROPS)).text);
    expect(top.map((r) => r.href)).toEqual(['/dav/principals/', '/dav/principals/users/']);
    const users = await parseMultistatus((await asDemo()('PROPFIND', '/dav/principals/users', { Depth: '1' }, PROPS)).text);
    expect(users.map((r) => r.href)).toEqual(['/dav/principals/users/', ownPrincipal]);
    expect(users[1].found.get('{DAV:}resourcetype')?.children.map((c) => c.name.local)).toEqual(['collection', 'principal']);
    expect(users[1].found.get('{DAV:}displayname')?.text).toBe('Demo User');
  });

  it('shows each user only themselves in the listing', async () => {
    const asOlga = dav(server().url, olgaLogin, 'olga-pass');
    const users = await parseMultistatus((await asOlga('PROPFIND', '/dav/principals/users/', { Depth: '1' }, PROPS)).text);
    expect(users).toHaveLength(2);
    expect(users[1].found.get('{DAV:}displayname')?.text).toBe('olga');
    expect(users[1].href).not.toBe(ownPrincipal);
  });

  it('refuses writes and every other method with 405 and an Allow of OPTIONS, PROPFIND and REPORT', async () => {
    for (const path of ['/dav/principals/', '/dav/principals/users/']) {
      const options = await asDemo()('OPTIONS', path);
      expect(options.status).toBe(200);
      const allowed = options.headers['allow'].split(', ').sort();
      expect(allowed).toEqual(['OPTIONS', 'PROPFIND', 'REPORT']);
      for (const method of ['PUT', 'DELETE', 'MKCOL', 'MKCALENDAR', 'PROPPATCH', 'GET', 'MOVE']) {
        const refused = await asDemo()(method, path, {}, '');
        expect([method, refused.status]).toEqual([method, 405]);
        expect(refused.headers['allow'].split(', ').sort()).toEqual(allowed);
      }
    }
    expect((await asDemo()('PROPFIND', '/dav/principals/', { Depth: '0' }, PROPS)).status).toBe(207);
  });

  it('asks for credentials like every other DAV resource', async () => {
    const anonymous = await asDemo()('PROPFIND', '/dav/principals/', { Depth: '0' }, PROPS).set('Authorization', '');
    expect(anonymous.status).toBe(401);
  });

  it('names the properties a principal search compares (principal-search-property-set)', async () => {
    const response = await asDemo()('REPORT', '/dav/principals/', { Depth: '0', 'User-Agent': EVOLUTION_UA }, '<D:principal-search-property-set xmlns:D="DAV:"/>');
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/<d:principal-search-property-set/);
    expect(response.text).toMatch(/<d:prop><d:displayname\/><\/d:prop><d:description xml:lang="en">/);
    expect(response.text).toContain('calendar-user-address-set');
  });

  it("finds the requester's own principal by display name, as Evolution searches, and no colleague", async () => {
    const own = await asDemo()('REPORT', '/dav/principals/', { Depth: '0', 'User-Agent': EVOLUTION_UA }, byDisplayName('demo'));
    expect(own.status).toBe(207);
    const found = await parseMultistatus(own.text);
    expect(found.map((r) => [r.href, r.found.get('{DAV:}displayname')?.text])).toEqual([[ownPrincipal, 'Demo User']]);
    // "demoted" and "olga" are colleagues in the same context: the search never reveals them.
    const colleague = await asDemo()('REPORT', '/dav/principals/users/', { Depth: '0', 'User-Agent': EVOLUTION_UA }, byDisplayName('olga'));
    expect(colleague.status).toBe(207);
    expect(await parseMultistatus(colleague.text)).toEqual([]);
  });

  it("answers macOS Calendar's attendee search (test=anyof, starts-with, unknown properties) with the own principal when it matches", async () => {
    const asOlga = dav(server().url, olgaLogin, 'olga-pass');
    const byAddress = await asOlga('REPORT', '/dav/principals/', { Depth: '0', 'User-Agent': APPLE_CALENDAR_UA }, appleAttendeeSearch('OLGA@EXAMPLE'));
    expect(byAddress.status).toBe(207);
    const [entry, ...others] = await parseMultistatus(byAddress.text);
    expect(others).toEqual([]);
    expect(entry.found.get('{DAV:}displayname')?.text).toBe('olga');
    expect(hrefsOf(entry.found.get('{urn:ietf:params:xml:ns:caldav}calendar-user-address-set'))).toContain('mailto:olga@example.org');
    expect(entry.missing.get('{urn:ietf:params:xml:ns:caldav}calendar-user-type')).toBe(404);
    const nobody = await asOlga('REPORT', '/dav/principals/', { Depth: '0', 'User-Agent': APPLE_CALENDAR_UA }, appleAttendeeSearch('lga'));
    expect(await parseMultistatus(nobody.text)).toEqual([]);
  });

  it('refuses principal searches at another Depth than 0 (RFC 3744 9.4, 9.5), a search without criteria, and reports it does not know', async () => {
    expect((await asDemo()('REPORT', '/dav/principals/', { Depth: '1' }, byDisplayName('demo'))).status).toBe(400);
    expect((await asDemo()('REPORT', '/dav/principals/', { Depth: '1' }, '<D:principal-search-property-set xmlns:D="DAV:"/>')).status).toBe(400);
    const empty = '<D:principal-property-search xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:principal-property-search>';
    expect((await asDemo()('REPORT', '/dav/principals/', { Depth: '0' }, empty)).status).toBe(400);
    const unknown = await asDemo()('REPORT', '/dav/principals/', { Depth: '0' }, '<D:acl-principal-prop-set xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:acl-principal-prop-set>');
    expect(unknown.status).toBe(403);
    expect(unknown.text).toContain('supported-report');
  });

  it('advertises the two principal reports in supported-report-set', async () => {
    const response = await asDemo()('PROPFIND', '/dav/principals/', { Depth: '0' }, '<propfind xmlns="DAV:"><prop><supported-report-set/></prop></propfind>');
    const [entry] = await parseMultistatus(response.text);
    const reports = entry.found.get('{DAV:}supported-report-set')?.children.map((s) => s.children[0].children[0].name.local).sort();
    expect(reports).toEqual(['principal-property-search', 'principal-search-property-set']);
  });
});
