import { eventIcs, parseMultistatus, vcard } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

/** RFC 7240 and RFC 8144 on calendars and address books alike. */
const COLLECTIONS = [
  {
    label: 'a calendar',
    find: async (send: ReturnType<typeof dav>) => (await calendarHrefs(send))['Calendar'],
    contentType: 'text/calendar; charset=utf-8',
    extension: 'ics',
    body: (uid: string, version: number) => eventIcs(uid, `Version ${version}`, new Date('2026-05-01T09:00:00Z')),
  },
  {
    label: 'an address book',
    find: async (send: ReturnType<typeof dav>) => {
      const home = await send('PROPFIND', '/dav/carddav/', { Depth: '1' }, '<propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>');
      return /<d:href>(\/dav\/carddav\/\d{4,}\/)<\/d:href>/.exec(home.text)![1];
    },
    contentType: 'text/vcard; charset=utf-8',
    extension: 'vcf',
    body: (uid: string, version: number) => vcard(uid, `Version ${version}`),
  },
];

describe.each(COLLECTIONS)('Prefer (RFC 7240, RFC 8144) on $label', (collection) => {
  const node = sharedNodePerSuite();
  let send: ReturnType<typeof dav>;
  let base: string;

  beforeAll(async () => {
    send = dav(node().url, node().demo.login, node().demo.password);
    base = await collection.find(send);
  });

  it('answers a PUT with Prefer: return=representation with the stored member: 201 then 200, its ETag, body and Content-Location as GET has them', async () => {
    const uid = `prefer-${collection.extension}`;
    const path = `${base}${uid} one.${collection.extension}`;
    const href = path.replace(' ', '%20');
    const prefer = { 'Content-Type': collection.contentType, Prefer: 'return=representation' };
    const created = await send('PUT', href, prefer, collection.body(uid, 1));
    expect(created.status).toBe(201);
    expect(created.headers['preference-applied']).toBe('return=representation');
    expect(created.headers['content-location']).toBe(href);
    const first = await send('GET', href);
    expect(created.text).toBe(first.text);
    expect(created.headers['etag']).toBe(first.headers['etag']);
    expect(created.headers['content-type']).toBe(first.headers['content-type']);

    const replaced = await send('PUT', href, prefer, collection.body(uid, 2));
    expect(replaced.status).toBe(200);
    const second = await send('GET', href);
    expect(replaced.text).toBe(second.text);
    expect(second.text).toContain('Version 2');
    expect(replaced.headers['etag']).toBe(second.headers['etag']);
  });

  it('answers a PUT without the preference as before: 204 and no body', async () => {
    const href = `${base}plain.${collection.extension}`;
    expect((await send('PUT', href, { 'Content-Type': collection.contentType }, collection.body('plain', 1))).status).toBe(201);
    const replaced = await send('PUT', href, { 'Content-Type': collection.contentType, Prefer: 'return=minimal' }, collection.body('plain', 2));
    expect(replaced.status).toBe(204);
    expect(replaced.text).toBe('');
    expect(replaced.headers['preference-applied']).toBeUndefined();
  });

  it('says when PROPFIND and sync-collection honoured return=minimal (Preference-Applied, Vary), and not for Brief: t', async () => {
    const propfind = '<propfind xmlns="DAV:"><prop><getetag/><displayname/><x:nope xmlns:x="urn:x"/></prop></propfind>';
    const minimal = await send('PROPFIND', base, { Depth: '1', Prefer: 'return=minimal; lenient' }, propfind);
    expect(minimal.status).toBe(207);
    expect(minimal.headers['preference-applied']).toBe('return=minimal');
    expect(minimal.headers['vary']).toContain('Prefer');
    expect((await parseMultistatus(minimal.text)).every((r) => r.missing.size === 0)).toBe(true);

    const brief = await send('PROPFIND', base, { Depth: '1', Brief: 't' }, propfind);
    expect(brief.headers['preference-applied']).toBeUndefined();
    expect((await parseMultistatus(brief.text)).every((r) => r.missing.size === 0)).toBe(true);

    const full = await send('PROPFIND', base, { Depth: '1' }, propfind);
    expect(full.headers['preference-applied']).toBeUndefined();
    expect((await parseMultistatus(full.text)).some((r) => r.missing.size > 0)).toBe(true);

    const sync = await send('REPORT', base, { Prefer: 'return=minimal' }, '<sync-collection xmlns="DAV:"><sync-token/><sync-level>1</sync-level><prop><getetag/><x:nope xmlns:x="urn:x"/></prop></sync-collection>');
    expect(sync.status).toBe(207);
    expect(sync.headers['preference-applied']).toBe('return=minimal');
    expect((await parseMultistatus(sync.text)).every((r) => r.missing.size === 0)).toBe(true);
  });
});
