import { eventIcs, vcard } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

/** One kind of object collection: where its objects live, and a body for the n-th version of one. */
interface Collection {
  label: string;
  /** The user's home of this protocol. */
  home: string;
  find(send: ReturnType<typeof dav>): Promise<string>;
  contentType: string;
  body(uid: string, version: number): string;
}

const COLLECTIONS: Collection[] = [
  {
    label: 'a calendar',
    home: '/dav/caldav/',
    find: async (send) => (await calendarHrefs(send))['Calendar'],
    contentType: 'text/calendar; charset=utf-8',
    body: (uid, version) => eventIcs(uid, `Version ${version}`, new Date('2026-05-01T09:00:00Z')),
  },
  {
    label: 'an address book',
    home: '/dav/carddav/',
    find: async (send) => {
      const home = await send('PROPFIND', '/dav/carddav/', { Depth: '1' }, '<propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>');
      // The personal book (the global address list, 6, is read-only).
      return /<d:href>(\/dav\/carddav\/\d{4,}\/)<\/d:href>/.exec(home.text)![1];
    },
    contentType: 'text/vcard; charset=utf-8',
    body: (uid, version) => vcard(uid, `Version ${version}`),
  },
];

describe.each(COLLECTIONS)('WebDAV on $label: conditional requests (RFC 9110 13, RFC 4918 10.4) and core properties', (collection) => {
  const node = sharedNodePerSuite();
  let send: ReturnType<typeof dav>;
  let base: string;
  let counter = 0;

  /** A fresh object: its path, its ETag as sent, and the body it holds. */
  const created = async () => {
    const uid = `cond-${++counter}`;
    const path = `${base}${uid}.${collection.contentType.startsWith('text/calendar') ? 'ics' : 'vcf'}`;
    const response = await send('PUT', path, { 'Content-Type': collection.contentType }, collection.body(uid, 1));
    expect(response.status).toBe(201);
    return { uid, path, etag: String(response.headers['etag']) };
  };
  const put = (path: string, uid: string, version: number, headers: Record<string, string>) =>
    send('PUT', path, { 'Content-Type': collection.contentType, ...headers }, collection.body(uid, version));
  const stored = async (path: string) => (await send('GET', path)).text;

  beforeAll(async () => {
    send = dav(node().url, node().demo.login, node().demo.password);
    base = await collection.find(send);
  });

  it('refuses If-Match with the weak form of the current tag (strong comparison): 412, nothing stored', async () => {
    const { uid, path, etag } = await created();
    expect((await put(path, uid, 2, { 'If-Match': `W/${etag}` })).status).toBe(412);
    expect(await stored(path)).toContain('Version 1');
  });

  it('accepts If-Match when any tag of the list is current, not only the first', async () => {
    const { uid, path, etag } = await created();
    expect((await put(path, uid, 2, { 'If-Match': `"nope", ${etag}` })).status).toBe(204);
    expect(await stored(path)).toContain('Version 2');
  });

  it('refuses a PUT with If-Unmodified-Since before the last change, and lets one after it through', async () => {
    const { uid, path } = await created();
    expect((await put(path, uid, 2, { 'If-Unmodified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' })).status).toBe(412);
    expect(await stored(path)).toContain('Version 1');
    expect((await put(path, uid, 3, { 'If-Unmodified-Since': new Date(Date.now() + 3_600_000).toUTCString() })).status).toBe(204);
  });

  it('answers a malformed If header 400 on PUT and DELETE, and changes nothing', async () => {
    const { uid, path, etag } = await created();
    for (const header of [`[${etag}]`, `(${etag})`, '()', `<${path}>`]) {
      expect((await put(path, uid, 2, { If: header })).status).toBe(400);
      expect((await send('DELETE', path, { If: header })).status).toBe(400);
    }
    expect(await stored(path)).toContain('Version 1');
  });

  it('never lets If-None-Match with * in it delete an existing object', async () => {
    const { path } = await created();
    expect((await send('DELETE', path, { 'If-None-Match': 'W/"x", *' })).status).toBe(400);
    expect((await send('DELETE', path, { 'If-None-Match': '*' })).status).toBe(412);
    expect((await send('GET', path)).status).toBe(200);
  });

  it('evaluates If lists: Not, several lists, and a list tagged with the object URL', async () => {
    const { uid, path, etag } = await created();
    const url = `${node().url}${path}`;
    expect((await put(path, uid, 2, { If: `(Not [${etag}])` })).status).toBe(412);
    expect((await put(path, uid, 2, { If: `(["nope"]) ([${etag}])` })).status).toBe(204);
    const current = String((await send('GET', path)).headers['etag']);
    expect((await put(path, uid, 3, { If: `<${url}> (Not ["nope"] [${current}])` })).status).toBe(204);
    expect((await put(path, uid, 4, { If: `<${node().url}${base}other> ([${current}])` })).status).toBe(412);
    expect(await stored(path)).toContain('Version 3');
  });

  it('refuses a MOVE and a DELETE whose If-Match names a weak tag', async () => {
    const { path, etag } = await created();
    expect((await send('MOVE', path, { Destination: `${path}.moved`, 'If-Match': `W/${etag}` })).status).toBe(412);
    expect((await send('DELETE', path, { 'If-Match': `W/${etag}` })).status).toBe(412);
    expect((await send('DELETE', path, { 'If-Match': `"nope", ${etag}` })).status).toBe(204);
  });

  it('answers GET and HEAD 304 for a current tag (weakly compared) or an unchanged date, 412 for a failed If-Match', async () => {
    const { path, etag } = await created();
    const first = await send('GET', path);
    const lastModified = String(first.headers['last-modified']);
    expect(lastModified).not.toBe('undefined');
    for (const method of ['GET', 'HEAD']) {
      const validators: Record<string, string>[] = [{ 'If-None-Match': etag }, { 'If-None-Match': `"x", W/${etag}` }, { 'If-Modified-Since': lastModified }];
      for (const headers of validators) {
        const answer = await send(method, path, headers);
        expect(answer.status).toBe(304);
        expect(answer.headers['etag']).toBe(etag);
      }
      expect((await send(method, path, { 'If-None-Match': '"other"' })).status).toBe(200);
      expect((await send(method, path, { 'If-Modified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' })).status).toBe(200);
      expect((await send(method, path, { 'If-Match': '"nope"' })).status).toBe(412);
    }
  });

  it('answers DAV:owner on the collection and DAV:getlastmodified on its objects, as GET dates them', async () => {
    const { path } = await created();
    const prop = (name: string) => `<propfind xmlns="DAV:"><prop><${name}/></prop></propfind>`;
    const owner = await send('PROPFIND', base, { Depth: '0' }, prop('owner'));
    expect(owner.text).toContain(`<d:owner><d:href>/dav/principals/users/${node().demo.user.userId}/</d:href></d:owner>`);
    const object = await send('PROPFIND', path, { Depth: '0' }, prop('getlastmodified'));
    const lastModified = /<d:getlastmodified>([^<]+)<\/d:getlastmodified>/.exec(object.text)?.[1];
    expect(lastModified).toBe((await send('GET', path)).headers['last-modified']);
    expect(Date.parse(lastModified!)).toBeGreaterThan(Date.now() - 3_600_000);
  });

  it('grants the user bind and unbind in their home (they make and remove collections there), and write on their own collection and its objects', async () => {
    const { path } = await created();
    const privilegesOf = async (href: string) => {
      const answer = await send('PROPFIND', href, { Depth: '0' }, '<propfind xmlns="DAV:"><prop><current-user-privilege-set/></prop></propfind>');
      expect(answer.status).toBe(207);
      return [...answer.text.matchAll(/<d:privilege><d:([a-z-]+)\/><\/d:privilege>/g)].map((m) => m[1]);
    };
    for (const href of [collection.home, base, path]) {
      expect(await privilegesOf(href)).toEqual(expect.arrayContaining(['read', 'write', 'write-content', 'bind', 'unbind']));
    }
  });
});
