import { parseMultistatus } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:X="urn:example:x"';

describe('XML bodies over the attribute, namespace and element limits (< 1 MB each): 400 naming the limit, nothing changed', () => {
  let send: ReturnType<typeof dav>;
  let calendar: string;
  const readNote = async () =>
    (await parseMultistatus((await send('PROPFIND', calendar, { Depth: '0' }, `<D:propfind ${NS}><D:prop><X:note/></D:prop></D:propfind>`)).text))[0];

  const server = sharedNodePerSuite();

  beforeAll(async () => {
    send = dav(server().url, server().demo.login, server().demo.password);
    calendar = (await calendarHrefs(send))['Calendar'];
  }, 60_000);

  it('refuses a dead property with 60,000 attributes', async () => {
    const attributes = Array.from({ length: 60_000 }, (_, i) => `a${i}="x"`).join(' ');
    const body = `<D:propertyupdate ${NS}><D:set><D:prop><X:note ${attributes}/></D:prop></D:set></D:propertyupdate>`;
    expect(body.length).toBeLessThan(1024 * 1024);
    const response = await send('PROPPATCH', calendar, {}, body);
    expect(response.status).toBe(400);
    expect(response.text).toContain('davmesh.limits.xml.attributes');
    expect((await readNote()).missing.get('{urn:example:x}note')).toBe(404);
  });

  it('refuses 20,000 namespace declarations', async () => {
    const declarations = Array.from({ length: 20_000 }, (_, i) => `xmlns:n${i}="urn:n${i}"`).join(' ');
    const body = `<D:propertyupdate ${NS} ${declarations}><D:set><D:prop><X:note>x</X:note></D:prop></D:set></D:propertyupdate>`;
    expect(body.length).toBeLessThan(1024 * 1024);
    const response = await send('PROPPATCH', calendar, {}, body);
    expect(response.status).toBe(400);
    expect(response.text).toContain('davmesh.limits.xml.namespaces');
    expect((await readNote()).missing.get('{urn:example:x}note')).toBe(404);
  });

  it('refuses a REPORT of 60,000 elements', async () => {
    const props = '<D:getetag/>'.repeat(60_000);
    const body = `<C:calendar-query ${NS}><D:prop>${props}</D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`;
    expect(body.length).toBeLessThan(1024 * 1024);
    const response = await send('REPORT', calendar, { Depth: '1' }, body);
    expect(response.status).toBe(400);
    expect(response.text).toContain('davmesh.limits.xml.elements');
  });

  it('answers 507 for one dead property over 64 KiB (the default davmesh.limits.deadPropertyBytes), storing nothing', async () => {
    const response = await send('PROPPATCH', calendar, {}, `<D:propertyupdate ${NS}><D:set><D:prop><X:note>${'z'.repeat(70 * 1024)}</X:note></D:prop></D:set></D:propertyupdate>`);
    expect(response.status).toBe(207);
    expect((await parseMultistatus(response.text))[0].missing.get('{urn:example:x}note')).toBe(507);
    expect((await readNote()).missing.get('{urn:example:x}note')).toBe(404);
  });
});
