import { parseMultistatus } from '@davmesh/testing';
import { carddavNodePerSuite, personalBook, type DavAgent } from './carddav.fixture';

const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav" xmlns:X="http://example.org/ns/"';
const PROPS = `<D:propfind ${NS}><D:prop><D:displayname/><C:addressbook-description/><X:colour/><D:resourcetype/></D:prop></D:propfind>`;

describe('extended MKCOL, PROPPATCH (all or nothing, dead properties kept) and DELETE of address books over HTTP', () => {
  const server = carddavNodePerSuite();
  let agent: DavAgent;

  const props = async (href: string) => (await agent.propfind(href, undefined, PROPS, '0'))[0];
  const proppatch = async (href: string, instructions: string) => {
    const response = await agent.request('PROPPATCH', href).set('Content-Type', 'application/xml').send(`<D:propertyupdate ${NS}>${instructions}</D:propertyupdate>`);
    expect(response.status).toBe(207);
    const [result] = await parseMultistatus(response.text);
    return result;
  };

  beforeAll(async () => {
    agent = await server().addUser('maker');
  }, 60_000);

  it('creates an address book with displayname, description and a dead property (RFC 5689)', async () => {
    const body = `<D:mkcol ${NS}><D:set><D:prop>
      <D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>
      <D:displayname>Team Book</D:displayname><C:addressbook-description>Colleagues &amp; friends</C:addressbook-description>
      <X:colour><X:rgb kind="hex">#00ff00</X:rgb></X:colour>
    </D:prop></D:set></D:mkcol>`;
    expect((await agent.request('MKCOL', '/dav/carddav/team/').set('Content-Type', 'application/xml').send(body)).status).toBe(201);
    const book = await props('/dav/carddav/team/');
    expect(book.found.get('{DAV:}displayname')?.text).toBe('Team Book');
    expect(book.found.get('{urn:ietf:params:xml:ns:carddav}addressbook-description')?.text).toBe('Colleagues & friends');
    expect(book.found.get('{DAV:}resourcetype')?.children.map((c) => c.name.local).sort()).toEqual(['addressbook', 'collection']);
    const colour = book.found.get('{http://example.org/ns/}colour');
    expect(colour?.children[0]).toMatchObject({ name: { ns: 'http://example.org/ns/', local: 'rgb' }, text: '#00ff00', attributes: { kind: 'hex' } });
    expect(await agent.addressbooks()).toContain('/dav/carddav/team/');
    expect((await agent.request('MKCOL', '/dav/carddav/team/').send('')).status).toBe(405);
  });

  it('refuses an extended MKCOL that sets a protected property, and creates nothing', async () => {
    const body = `<D:mkcol ${NS}><D:set><D:prop><D:displayname>Nope</D:displayname><D:getctag-like/><D:sync-token>x</D:sync-token></D:prop></D:set></D:mkcol>`;
    const response = await agent.request('MKCOL', '/dav/carddav/nope/').set('Content-Type', 'application/xml').send(body);
    expect(response.status).toBe(403);
    expect(response.text).toContain('mkcol-response');
    expect(response.text).toMatch(/sync-token\/><\/d:prop><d:status>HTTP\/1\.1 403/);
    expect(response.text).toMatch(/HTTP\/1\.1 424/);
    expect((await agent.request('PROPFIND', '/dav/carddav/nope/').set('Depth', '0').send('')).status).toBe(404);
  });

  it('PROPPATCH sets live and dead properties together and removes a dead one', async () => {
    const result = await proppatch(
      '/dav/carddav/team/',
      `<D:set><D:prop><D:displayname>Renamed</D:displayname><X:colour>blue</X:colour></D:prop></D:set>
       <D:remove><D:prop><C:addressbook-description/></D:prop></D:remove>`,
    );
    expect([...result.found.keys()].sort()).toEqual(['{DAV:}displayname', '{http://example.org/ns/}colour', '{urn:ietf:params:xml:ns:carddav}addressbook-description']);
    let book = await props('/dav/carddav/team/');
    expect(book.found.get('{DAV:}displayname')?.text).toBe('Renamed');
    expect(book.found.get('{http://example.org/ns/}colour')?.text).toBe('blue');
    expect(book.missing.get('{urn:ietf:params:xml:ns:carddav}addressbook-description')).toBe(404);
    await proppatch('/dav/carddav/team/', '<D:remove><D:prop><X:colour/></D:prop></D:remove>');
    book = await props('/dav/carddav/team/');
    expect(book.missing.get('{http://example.org/ns/}colour')).toBe(404);
  });

  it('PROPPATCH is atomic: one protected property fails everything with 424 and changes nothing', async () => {
    const result = await proppatch(
      '/dav/carddav/team/',
      `<D:set><D:prop><D:displayname>Should not stick</D:displayname><X:colour>red</X:colour></D:prop></D:set>
       <D:set><D:prop><D:getetag>"x"</D:getetag></D:prop></D:set>`,
    );
    expect(result.missing.get('{DAV:}getetag')).toBe(403);
    expect(result.missing.get('{DAV:}displayname')).toBe(424);
    expect(result.missing.get('{http://example.org/ns/}colour')).toBe(424);
    const book = await props('/dav/carddav/team/');
    expect(book.found.get('{DAV:}displayname')?.text).toBe('Renamed');
    expect(book.missing.get('{http://example.org/ns/}colour')).toBe(404);
  });

  it('keeps dead properties on the personal book too, and lists them in allprop and propname', async () => {
    const personal = await personalBook(agent);
    await proppatch(personal, '<D:set><D:prop><X:colour>teal</X:colour></D:prop></D:set>');
    const all = (await agent.propfind(personal, undefined, '<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>', '0'))[0];
    expect(all.found.get('{http://example.org/ns/}colour')?.text).toBe('teal');
    const names = (await agent.propfind(personal, undefined, '<D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>', '0'))[0];
    expect(names.found.has('{http://example.org/ns/}colour')).toBe(true);
  });

  it('refuses PROPPATCH on the global address list', async () => {
    const response = await agent
      .request('PROPPATCH', '/dav/carddav/6/')
      .send(`<D:propertyupdate ${NS}><D:set><D:prop><X:colour>red</X:colour></D:prop></D:set></D:propertyupdate>`);
    expect(response.status).toBe(403);
  });

  it('DELETE removes an address book the user made, with its contents; the personal book and the GAL stay', async () => {
    expect((await agent.put('/dav/carddav/team/t.vcf', 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:t\r\nFN:T\r\nN:T;;;;\r\nEND:VCARD\r\n')).status).toBe(201);
    expect((await agent.request('DELETE', '/dav/carddav/team/')).status).toBe(204);
    expect((await agent.request('PROPFIND', '/dav/carddav/team/').set('Depth', '0').send('')).status).toBe(404);
    expect((await agent.request('GET', '/dav/carddav/team/t.vcf')).status).toBe(404);
    expect(await agent.addressbooks()).not.toContain('/dav/carddav/team/');
    expect((await agent.request('DELETE', await personalBook(agent))).status).toBe(403);
    expect((await agent.request('DELETE', '/dav/carddav/6/')).status).toBe(403);
    expect((await agent.request('MKCOL', '/dav/carddav/team/').send('')).status).toBe(201);
    expect(await agent.contactNames('/dav/carddav/team/')).toEqual([]);
  });
});
