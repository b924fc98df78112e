import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { parseMultistatus } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { migratedDataDir } from './embedded-data-dir.fixture';

const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CR="urn:ietf:params:xml:ns:carddav" xmlns:X="urn:example:x"';
const READ = `<D:propfind ${NS}><D:prop><D:displayname/><X:note/><X:big/></D:prop></D:propfind>`;
const LIMITS = ['davmesh.limits.xml.bodyBytes=4096', 'davmesh.limits.xml.depth=8', 'davmesh.limits.deadPropertyBytes=1024'];

describe('XML body and dead property limits set in a server file (davmesh.limits.*)', () => {
  let root: string;
  let node: RunningNode;
  let send: ReturnType<typeof dav>;
  let calendar: string;
  const read = async (href: string) => (await parseMultistatus((await send('PROPFIND', href, { Depth: '0' }, READ)).text))[0];
  const nested = (levels: number) => `${'<X:level>'.repeat(levels)}x${'</X:level>'.repeat(levels)}`;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'davmesh-xml-limits-'));
    const configDir = join(root, 'config');
    mkdirSync(configDir);
    writeFileSync(join(configDir, 'limits.properties'), `${LIMITS.join('\n')}\n`);
    const env = { DAVMESH_DATA: await migratedDataDir(join(root, 'data')), DAVMESH_CONFIG_DIR: configDir, PORT: '0' };
    node = await startNode(loadSettings(env, 'all'), createLogger({ level: 'silent' }), { seedDemo: true });
    send = dav(node.url!, 'demo', 'demo');
    calendar = (await calendarHrefs(send))['Calendar'];
  }, 60_000);

  afterAll(async () => {
    await node.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers 413 for an XML body over davmesh.limits.xml.bodyBytes, and takes one under it', async () => {
    const propfind = (count: number) => `<D:propfind ${NS}><D:prop>${'<D:displayname/>'.repeat(count)}</D:prop></D:propfind>`;
    const big = await send('PROPFIND', calendar, { Depth: '0' }, propfind(300));
    expect(big.status).toBe(413);
    expect(big.text).toContain('davmesh.limits.xml.bodyBytes');
    expect((await send('PROPFIND', calendar, { Depth: '0' }, propfind(200))).status).toBe(207);
  });

  it('answers 400 for nesting over davmesh.limits.xml.depth, and takes it at the limit', async () => {
    // propertyupdate > set > prop > note > 4 levels = 8
    const patch = (levels: number) => `<D:propertyupdate ${NS}><D:set><D:prop><X:note>${nested(levels)}</X:note></D:prop></D:set></D:propertyupdate>`;
    const deep = await send('PROPPATCH', calendar, {}, patch(5));
    expect(deep.status).toBe(400);
    expect(deep.text).toContain('davmesh.limits.xml.depth');
    expect((await read(calendar)).missing.get('{urn:example:x}note')).toBe(404);
    expect((await send('PROPPATCH', calendar, {}, patch(4))).status).toBe(207);
    expect((await read(calendar)).found.has('{urn:example:x}note')).toBe(true);
  });

  describe('a dead property value over davmesh.limits.deadPropertyBytes: 507 for it, 424 for the rest, nothing stored', () => {
    const large = `<X:big>${'y'.repeat(1100)}</X:big>`;

    it('on PROPPATCH of a calendar', async () => {
      const response = await send('PROPPATCH', calendar, {}, `<D:propertyupdate ${NS}><D:set><D:prop><D:displayname>Renamed</D:displayname>${large}</D:prop></D:set></D:propertyupdate>`);
      expect(response.status).toBe(207);
      const [result] = await parseMultistatus(response.text);
      expect(result.missing.get('{urn:example:x}big')).toBe(507);
      expect(result.missing.get('{DAV:}displayname')).toBe(424);
      const after = await read(calendar);
      expect(after.found.get('{DAV:}displayname')?.text).toBe('Calendar');
      expect(after.missing.get('{urn:example:x}big')).toBe(404);
    });

    it('on MKCALENDAR: 403 with the 507 in the mkcalendar-response, and no calendar', async () => {
      const response = await send('MKCALENDAR', '/dav/caldav/too-big/', {}, `<C:mkcalendar ${NS}><D:set><D:prop><D:displayname>Too big</D:displayname>${large}</D:prop></D:set></C:mkcalendar>`);
      expect(response.status).toBe(403);
      expect(response.text).toMatch(/big\/><\/d:prop><d:status>HTTP\/1\.1 507/);
      expect((await send('PROPFIND', '/dav/caldav/too-big/', { Depth: '0' }, READ)).status).toBe(404);
    });

    it('on PROPPATCH and extended MKCOL of an address book', async () => {
      const refused = await send('MKCOL', '/dav/carddav/too-big/', {}, `<D:mkcol ${NS}><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype>${large}</D:prop></D:set></D:mkcol>`);
      expect(refused.status).toBe(403);
      expect(refused.text).toMatch(/HTTP\/1\.1 507/);
      expect((await send('PROPFIND', '/dav/carddav/too-big/', { Depth: '0' }, READ)).status).toBe(404);
      expect((await send('MKCOL', '/dav/carddav/book/', {}, '')).status).toBe(201);
      const response = await send('PROPPATCH', '/dav/carddav/book/', {}, `<D:propertyupdate ${NS}><D:set><D:prop><D:displayname>Renamed</D:displayname>${large}</D:prop></D:set></D:propertyupdate>`);
      expect(response.status).toBe(207);
      const [result] = await parseMultistatus(response.text);
      expect(result.missing.get('{urn:example:x}big')).toBe(507);
      expect(result.missing.get('{DAV:}displayname')).toBe(424);
      const after = await read('/dav/carddav/book/');
      expect(after.found.get('{DAV:}displayname')?.text).not.toBe('Renamed');
      expect(after.missing.get('{urn:example:x}big')).toBe(404);
    });
  });
});
