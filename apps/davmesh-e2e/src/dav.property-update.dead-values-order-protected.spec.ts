import { parseMultistatus } from '@davmesh/testing';
import { dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const NS = 'xmlns:D="DAV:" xmlns:x="urn:example:x"';
const NOTE = '<x:note>Hallo <x:b>Welt</x:b>!</x:note>';
const READ = `<D:propfind ${NS}><D:prop><x:note/><x:k/><D:displayname/></D:prop></D:propfind>`;

/** The same WebDAV property update on both kinds of collection, each made by its own creation method. */
const COLLECTIONS = [
  { kind: 'a calendar', href: '/dav/caldav/notes/', create: 'MKCALENDAR', root: 'C:mkcalendar', rootNs: 'xmlns:C="urn:ietf:params:xml:ns:caldav"', response: 'mkcalendar-response', protectedProp: '<D:sync-token>forged</D:sync-token>' },
  { kind: 'an address book', href: '/dav/carddav/notes/', create: 'MKCOL', root: 'D:mkcol', rootNs: '', response: 'mkcol-response', protectedProp: '<D:sync-token>forged</D:sync-token>' },
] as const;

describe.each(COLLECTIONS)('property updates on $kind: dead values as written, document order, protected properties', (collection) => {
  const server = sharedNodePerSuite();
  let send: ReturnType<typeof dav>;
  const proppatch = (instructions: string) => send('PROPPATCH', collection.href, { 'Content-Type': 'application/xml' }, `<D:propertyupdate ${NS}>${instructions}</D:propertyupdate>`);
  const read = async () => {
    const response = await send('PROPFIND', collection.href, { Depth: '0' }, READ);
    return { text: response.text, props: (await parseMultistatus(response.text))[0] };
  };
  const create = (href: string, props: string) =>
    send(collection.create, href, { 'Content-Type': 'application/xml' }, `<${collection.root} ${NS} ${collection.rootNs}><D:set><D:prop xml:lang="de">${props}</D:prop></D:set></${collection.root}>`);

  beforeAll(() => {
    send = dav(server().url, server().demo.login, server().demo.password);
  });

  it('creates the collection with a dead property kept as written: prefixes, mixed content, the xml:lang in scope (RFC 4918 4.3)', async () => {
    expect((await create(collection.href, `<D:displayname>Notes</D:displayname>${NOTE}`)).status).toBe(201);
    const { text, props } = await read();
    const note = props.found.get('{urn:example:x}note');
    expect(note).toMatchObject({ prefix: 'x', lang: 'de', text: 'Hallo !' });
    expect(note?.content.map((piece) => (typeof piece === 'string' ? piece : `${piece.prefix}:${piece.name.local}=${piece.text}`))).toEqual(['Hallo ', 'x:b=Welt', '!']);
    expect(text).toContain('xml:lang="de">Hallo <x:b>Welt</x:b>!</x:note>');
  });

  it('PROPPATCH keeps a changed value as written too', async () => {
    const response = await proppatch(`<D:set><D:prop><x:note xml:lang="en">Hello <x:b>world</x:b>!</x:note></D:prop></D:set>`);
    expect(response.status).toBe(207);
    expect((await read()).text).toContain('<x:note xml:lang="en" xmlns:D="DAV:" xmlns:x="urn:example:x">Hello <x:b>world</x:b>!</x:note>');
  });

  it('applies remove and set in document order (RFC 4918 9.2): the later instruction wins', async () => {
    expect((await proppatch('<D:remove><D:prop><x:k/></D:prop></D:remove><D:set><D:prop><x:k>kept</x:k></D:prop></D:set>')).status).toBe(207);
    expect((await read()).props.found.get('{urn:example:x}k')?.text).toBe('kept');
    expect((await proppatch('<D:set><D:prop><x:k>again</x:k></D:prop></D:set><D:remove><D:prop><x:k/></D:prop></D:remove>')).status).toBe(207);
    expect((await read()).props.missing.get('{urn:example:x}k')).toBe(404);
  });

  it('refuses a protected property with DAV:cannot-modify-protected-property, fails the rest with 424 and changes nothing', async () => {
    const response = await proppatch(`<D:set><D:prop><D:displayname>Renamed</D:displayname>${collection.protectedProp}<x:k>v</x:k></D:prop></D:set>`);
    expect(response.status).toBe(207);
    const [result] = await parseMultistatus(response.text);
    expect(result.missing.get('{DAV:}sync-token')).toBe(403);
    expect(result.missing.get('{DAV:}displayname')).toBe(424);
    expect(result.missing.get('{urn:example:x}k')).toBe(424);
    expect(response.text).toMatch(/sync-token\/><\/d:prop><d:status>HTTP\/1\.1 403 Forbidden<\/d:status><d:error><d:cannot-modify-protected-property\/><\/d:error>/);
    const after = (await read()).props;
    expect(after.found.get('{DAV:}displayname')?.text).toBe('Notes');
    expect(after.missing.get('{urn:example:x}k')).toBe(404);
  });

  it(`refuses a ${collection.create} that sets a protected property, naming it, and creates nothing`, async () => {
    const href = collection.href.replace('notes', 'refused');
    const response = await create(href, `<D:displayname>Nope</D:displayname>${collection.protectedProp}`);
    expect(response.status).toBe(403);
    expect(response.text).toContain(collection.response);
    expect(response.text).toMatch(/HTTP\/1\.1 403 Forbidden<\/d:status><d:error><d:cannot-modify-protected-property\/>/);
    expect(response.text).toContain('HTTP/1.1 424 Failed Dependency');
    expect((await send('PROPFIND', href, { Depth: '0' }, '')).status).toBe(404);
  });
});
